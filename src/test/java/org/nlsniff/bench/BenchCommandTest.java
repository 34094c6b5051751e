package org.nlsniff.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.frame.Frame;
import org.nlsniff.source.CaptureFileSource;
import org.nlsniff.testing.Repo;
import picocli.CommandLine;

/**
 * A smoke run of {@code nlsniff bench} on a few thousand messages: the table has its rows and
 * every measured rate is positive. No timing is asserted; tshark and pyroute2 are left out (CI
 * need not have them), and {@code ip} is optional.
 */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    private record Result(int code, String out, String err) {}

    private Result bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new BenchCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /**
     * nlsniff's, ip's and tshark's whole-process runs go in turns (one of each, then again), so
     * that a machine whose speed drifts over minutes slows them alike and their ratios hold.
     */
    @Test
    void wholeProcessRunsOfNlsniffIpAndTsharkTakeTurns() throws Exception {
        boolean ip = Measure.which("ip", "/usr/sbin", "/sbin", "/usr/bin", "/bin") != null;
        boolean tshark = Measure.which("tshark") != null;
        org.junit.jupiter.api.Assumptions.assumeTrue(ip || tshark,
                "neither iproute2's ip nor tshark is installed");
        Result r = bench("--messages", "2000", "--runs", "2", "--samples",
                Repo.samples().toString(), "--skip",
                "read,decode,text,json,launcher,launcher-text,pyroute2,small");
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> runs = r.err().lines()
                .filter(l -> l.matches(".*: (process|ip|tshark): run \\d/2:.*"))
                .map(l -> l.replaceAll(".*: (process|ip|tshark): run (\\d)/2:.*", "$1 $2"))
                .toList();
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            expected.add("process " + i);
            if (ip) {
                expected.add("ip " + i);
            }
            if (tshark) {
                expected.add("tshark " + i);
            }
        }
        assertEquals(expected, runs, r.err());
    }

    @Test
    void smallRunPrintsEveryRowWithPositiveRates() throws Exception {
        Path json = tmp.resolve("bench.json");
        Path keep = tmp.resolve("files");
        Result r = bench("--messages", "5000", "--runs", "1", "--samples",
                Repo.samples().toString(), "--skip", "launcher,launcher-text,tshark,pyroute2,small",
                "--keep", keep.toString(), "--out", json.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        for (String tool : List.of("read capture only", "decode only", "capture -> text",
                "capture -> JSON lines", "whole process", "ip monitor all file F")) {
            assertTrue(r.out().contains(tool), "row " + tool + " missing:\n" + r.out());
        }
        assertTrue(r.out().contains("messages/s"), r.out());

        JsonNode doc = JSON.readTree(json.toFile());
        long messages = doc.get("messages").asLong();
        assertTrue(messages >= 5000 && messages < 5000 + 100, "messages " + messages);
        Map<String, JsonNode> rows = new HashMap<>();
        doc.get("rows").forEach(row -> rows.put(row.get("key").asText(), row));
        assertEquals(List.of("read", "decode", "text", "json", "process", "ip").stream().sorted()
                .toList(), rows.keySet().stream().sorted().toList());
        for (String key : List.of("read", "decode", "text", "json", "process")) {
            JsonNode row = rows.get(key);
            assertFalse(row.has("skipped"), key + ": " + row);
            assertTrue(row.get("messages_per_second").asDouble() > 0, key + ": " + row);
            assertEquals(messages, row.get("messages").asLong(), key);
            assertFalse(row.get("note").asText().startsWith("FAILED"), key + ": " + row);
        }
        assertNotNull(rows.get("process").get("peak_rss_kib"));
        JsonNode ip = rows.get("ip");
        if (!ip.has("skipped")) {
            assertTrue(ip.get("messages_per_second").asDouble() > 0, ip.toString());
            assertEquals(1.0, ip.get("ratio_to_ip_monitor").asDouble(), 1e-9);
            assertTrue(doc.get("figures").toString().contains("ip monitor file"), doc.toString());
        }

        // --keep: the generated capture holds the messages, the ip file the same bytes unframed.
        long frames = 0;
        long ipBytes = 0;
        try (CaptureFileSource src = CaptureFileSource.open(keep.resolve("big.pcap"))) {
            Frame f;
            while ((f = src.next()) != null) {
                frames++;
                assertEquals(0, f.protocol());
                assertEquals(null, f.problem());
                Corpus.Datagram d = Corpus.walk("test", f.data());
                assertNotNull(d);
                for (int len : d.lengths()) {
                    ipBytes += Corpus.align4(len);
                }
            }
        }
        assertEquals(doc.get("frames").asLong(), frames);
        assertEquals(ipBytes, Files.size(keep.resolve("ip-monitor.bin")));
    }

    @Test
    void generatedCaptureHasIncreasingMicrosecondTimestamps() throws Exception {
        Corpus corpus = Corpus.load(Repo.samples());
        assertFalse(corpus.files().stream().anyMatch(f -> f.startsWith("malformed")));
        List<Corpus.Datagram> seq = corpus.sequence(1000);
        Corpus.Generated g = Corpus.write(seq, tmp.resolve("a.pcap"), tmp.resolve("a.bin"));
        assertTrue(g.messages() >= 1000);
        byte[] pcap = Files.readAllBytes(g.pcap());
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(0));
        assertEquals(253, b.getInt(20));
        // First record: cooked header type 4 (outgoing), ARPHRD 824, big-endian, protocol 0.
        ByteBuffer cooked = ByteBuffer.wrap(pcap, 24 + 16, 16).order(ByteOrder.BIG_ENDIAN);
        assertEquals(4, cooked.getShort(24 + 16));
        assertEquals(824, cooked.getShort(24 + 18));
        assertEquals(0, cooked.getShort(24 + 30));
        long last = -1;
        try (CaptureFileSource src = CaptureFileSource.open(g.pcap())) {
            Frame f;
            while ((f = src.next()) != null) {
                assertTrue(f.tsNanos() > last);
                assertEquals(0, f.tsNanos() % 1000);
                last = f.tsNanos();
            }
        }
    }

    @Test
    void unknownStepIsAUsageError() {
        Result r = bench("--skip", "nonsense", "--samples", Repo.samples().toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown step"), r.err());
    }
}
