package org.nlsniff.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nlsniff.testing.Repo;

/**
 * Our JSON writer produces the bytes Jackson's generator would: every line of every expected
 * JSON file (real captures, corner cases) read by Jackson and written back by Jackson is the
 * same line; strings with control characters, quotes, non-ASCII text and lone surrogates too.
 */
class JsonWriterTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static String ours(JsonNode n) throws Exception {
        return written(w -> w.tree(n));
    }

    private interface Writing {
        void to(JsonWriter w) throws Exception;
    }

    /** What a fresh writer writes, as UTF-8 text. */
    private static String written(Writing writing) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonWriter w = new JsonWriter(out);
        writing.to(w);
        w.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyExpectedLineIsWhatJacksonWrites() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Repo.samples())) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        int lines = 0;
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                JsonNode tree = JACKSON.readTree(line);
                assertEquals(JACKSON.writeValueAsString(tree), line, f + ": Jackson writes it otherwise");
                assertEquals(line, ours(tree), f + ": our writer differs");
                lines++;
            }
        }
        assertTrue(lines > 1000, "lines compared: " + lines);
    }

    @Test
    void timestampsAsTheStringFormatterWritesThem() throws Exception {
        // Same second twice, a step back in time, the epoch, before it, far ahead.
        long[] ts = {1796322236055245890L, 1796322236999999999L, 1796322237000000000L,
            1796322236000000001L, 0L, -1L, -999L, 4102444799999999999L, 1796322236055245890L,
            Long.MIN_VALUE, Long.MIN_VALUE + 854775807L, Long.MIN_VALUE + 854775808L,
            Long.MIN_VALUE + 1_854_775_808L, Long.MAX_VALUE, Long.MIN_VALUE};
        StringBuilder expected = new StringBuilder();
        for (long t : ts) {
            expected.append('"').append(Timestamps.rfc3339Micros(t)).append("\",");
        }
        assertEquals(expected.toString(), written(w -> {
            for (long t : ts) {
                w.timestamp(t);
                w.comma();
            }
        }));
    }

    @Test
    void numbersAsLongToStringWritesThem() throws Exception {
        List<Long> values = new java.util.ArrayList<>(List.of(0L, 9L, 10L, 99L, 100L, 101L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, -10L, -99L, -100L));
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            values.addAll(List.of(p, p - 1, p + 1, 10 * p - 1, -p, -(10 * p - 1)));
        }
        java.util.Random r = new java.util.Random(17);
        for (int i = 0; i < 10_000; i++) {
            values.add(r.nextLong() >> r.nextInt(64));
        }
        StringBuilder expected = new StringBuilder();
        for (long v : values) {
            expected.append(v).append(',');
        }
        assertEquals(expected.toString(), written(w -> {
            for (long v : values) {
                w.number(v);
                w.comma();
            }
        }));
    }

    @Test
    void summaryFromLinesIsTheEventSummaryAsAString() throws Exception {
        List<List<String>> cases = List.of(List.of("one line "), List.of("  both ends\t"),
                List.of("first ", "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff ", "   "),
                List.of("", "x"), List.of(" \u2003em space\u2003", "\u00e9 \"quoted\" \\ "),
                List.of("high \ud83d", "\ude00 low", "pair \ud83d\ude00 "), List.of(),
                List.of("   ", ""), List.of("ctl \u0001 \u007f", "x".repeat(70_000) + " "));
        for (List<String> lines : cases) {
            org.nlsniff.event.Event e = new org.nlsniff.event.Event(null, lines, null);
            assertEquals(written(w -> w.string(e.summary())), written(w -> w.summary(e.lines())),
                    "lines " + lines.size());
        }
    }

    @Test
    void awkwardStringsAsJacksonWritesThem() throws Exception {
        for (String s : List.of("", "plain", "quote \" backslash \\ slash /", "\u0000\u0001\u001f",
                "\b\t\n\f\r", "\u007f\u0080\u00e9\u07ff\u0800\uffff", "emoji \ud83d\ude00 end",
                "x".repeat(70_000) + "\n\u00e9", "ascii? yes?", "\u007f", "y".repeat(4096),
                "z".repeat(4097))) {
            JsonNode n = JACKSON.getNodeFactory().objectNode().put("k", s).put("n", -42L)
                    .put("min", Long.MIN_VALUE).put("b", true);
            assertEquals(JACKSON.writeValueAsString(n), ours(n), "string " + s.length());
        }
    }

    @Test
    void stringsAcrossTheBufferBoundaryAsJacksonWritesThem() throws Exception {
        // One writer, strings of every length up to past its 64 KiB buffer, plain and escaped:
        // each lands at another place of the buffer, some must flush first, some straddle it.
        java.util.Random r = new java.util.Random(5);
        com.fasterxml.jackson.databind.node.ArrayNode arr = JACKSON.createArrayNode();
        for (int i = 0; i < 3000; i++) {
            int len = r.nextInt(10) == 0 ? r.nextInt(80_000) : r.nextInt(300);
            StringBuilder sb = new StringBuilder(len);
            for (int j = 0; j < len; j++) {
                sb.append(r.nextInt(500) == 0 ? "\"\u00e9\n\\".charAt(r.nextInt(4))
                        : (char) ('a' + r.nextInt(26)));
            }
            arr.add(sb.toString());
        }
        assertEquals(JACKSON.writeValueAsString(arr), ours(arr));
    }

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacter() throws Exception {
        JsonNode n = JACKSON.getNodeFactory().textNode("a\ud800b");
        assertEquals("\"a\ufffdb\"", ours(n));
        // The same length as its bytes once the encoder made the surrogate a '?': still U+FFFD.
        assertEquals("\"?\ufffd?\"", ours(JACKSON.getNodeFactory().textNode("?\udc00?")));
    }
}
