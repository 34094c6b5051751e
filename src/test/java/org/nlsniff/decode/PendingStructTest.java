package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nlsniff.frame.Frame;
import org.nlsniff.sink.JsonLinesSink;
import org.nlsniff.source.CaptureFileSource;
import org.nlsniff.testing.Repo;

/**
 * Structs of plain numbers stay bytes until someone reads them ({@link PendingStruct}): written
 * straight from the bytes they must give exactly the JSON their entries give, and read they must
 * be the entries the eager decoder made.
 */
class PendingStructTest {
    @TempDir static Path dir;
    private static SpecDecoder decoder;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void spec() throws Exception {
        decoder = TestSpecs.withFamily(dir, "p.yaml", """
                name: p
                protonum: 98
                x-object: p
                definitions:
                  - { name: en, type: enum, entries: [{ name: zero, value: 0 }, { name: one, value: 1 }] }
                  - name: plain
                    type: struct
                    members: [{ name: a, type: u16 }, { name: pad, type: pad, len: 2 }, { name: b, type: s32 },
                              { name: c, type: u64 }, { name: d, type: u32, byte-order: big-endian }]
                  - name: withenum
                    type: struct
                    members: [{ name: a, type: u8, enum: en }, { name: b, type: u8 }]
                attribute-sets:
                  - name: s
                    attributes:
                      - { name: plain, value: 1, type: binary, struct: plain }
                      - { name: withenum, value: 2, type: binary, struct: withenum }
                      - { name: plains, value: 3, type: binary, struct: plain, x-struct-array: true }
                operations:
                  list:
                    - { name: newthing, value: 20, attribute-set: s }
                """);
    }

    private static Message decode(String attrsHex) {
        return TestSpecs.message(decoder, 98, attrsHex);
    }


    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "exact | 18000100 0100 ffff feffffff 0200000000000000 00000003 | {\"plain\":{\"a\":1,\"b\":-2,\"c\":2,\"d\":3}}",
        "u64 above the signed range | 18000100 0100 0000 00000000 ffffffffffffffff 00000000 | {\"plain\":{\"a\":1,\"b\":0,\"c\":18446744073709551615,\"d\":0}}",
        "longer (newer kernel) | 1c000100 0100 0000 00000000 0000000000000000 00000000 0a0b0c0d | {\"plain\":{\"a\":1,\"b\":0,\"c\":0,\"d\":0,\"_extra\":\"0a0b0c0d\"}}",
        "shorter (older kernel), decoded now | 0c000100 0100 0000 05000000 | {\"plain\":{\"a\":1,\"b\":5}}",
        "array of structs | 2c000300 0100 0000 00000000 0000000000000000 00000000 0200 0000 00000000 0000000000000000 00000001 | {\"plains\":[{\"a\":1,\"b\":0,\"c\":0,\"d\":0},{\"a\":2,\"b\":0,\"c\":0,\"d\":1}]}",
    })
    void writtenFromTheBytesIsWhatTheEntriesWrite(String name, String hex, String expected)
            throws Exception {
        Message direct = decode(hex);
        assertTrue(direct.problems.isEmpty(), direct.problems.toString());
        String fromBytes = TestSpecs.renderedAttrs(direct);
        assertEquals(expected, fromBytes, name);
        // The same message read entry by entry, then written by Jackson itself.
        Message read = decode(hex);
        assertEquals(expected, JSON.writeValueAsString(read.attrs), name);
    }

    @Test
    void aBigEndianHostsStructReadsEveryWidthInItsOrder() throws Exception {
        // A capture from a big-endian host: header, attribute and members in its order.
        String hex = "00180001 0001 0000 fffffffe 0000000000000002 00000003";
        Message m = TestSpecs.message(decoder, 98, hex, java.nio.ByteOrder.BIG_ENDIAN);
        assertTrue(m.problems.isEmpty(), m.problems.toString());
        String expected = "{\"plain\":{\"a\":1,\"b\":-2,\"c\":2,\"d\":3}}";
        assertEquals(expected, TestSpecs.renderedAttrs(m));
        Message read = TestSpecs.message(decoder, 98, hex, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(expected, JSON.writeValueAsString(read.attrs));
    }

    @Test
    void aMemberKeyLongerThanTheWritersBufferIsStreamed(@TempDir Path own) throws Exception {
        String longName = "k".repeat(70_001);
        SpecDecoder d = TestSpecs.withFamily(own, "q.yaml", """
                name: q
                protonum: 96
                x-object: q
                definitions:
                  - name: wide
                    type: struct
                    members: [{ name: a, type: u8 }, { name: %s, type: u8 }, { name: pad, type: pad, len: 2 }]
                attribute-sets:
                  - name: s
                    attributes:
                      - { name: wide, value: 1, type: binary, struct: wide }
                operations:
                  list:
                    - { name: newthing, value: 20, attribute-set: s }
                """.formatted(longName));
        String hex = "08000100 0102 0000";
        String expected = "{\"wide\":{\"a\":1,\"" + longName + "\":2}}";
        assertEquals(expected, TestSpecs.renderedAttrs(TestSpecs.message(d, 96, hex)));
        assertEquals(expected, JSON.writeValueAsString(TestSpecs.message(d, 96, hex).attrs));
    }

    @Test
    void aStructWithTheBytesOfThePreviousIsWrittenAsItWasAndOnlyThen(@TempDir Path own)
            throws Exception {
        // Nine members: remembered by the writer (JsonWriter.REMEMBER_MEMBERS). One decoding
        // thread's writer renders them in turn; each must be what its own entries write.
        SpecDecoder d = TestSpecs.withFamily(own, "r.yaml", """
                name: r
                protonum: 95
                x-object: r
                definitions:
                  - name: nine
                    type: struct
                    members: [{ name: a, type: u32 }, { name: b, type: u32 }, { name: c, type: u32 },
                              { name: d, type: u32 }, { name: e, type: u32 }, { name: f, type: u32 },
                              { name: g, type: u32 }, { name: h, type: u32 }, { name: i, type: u32, byte-order: big-endian }]
                attribute-sets:
                  - name: s
                    attributes:
                      - { name: nine, value: 1, type: binary, struct: nine }
                      - { name: other, value: 2, type: binary, struct: nine }
                operations:
                  list:
                    - { name: newthing, value: 20, attribute-set: s }
                """);
        String a = "28000100 01000000 02000000 03000000 04000000 05000000 06000000 07000000 08000000 00000009";
        String lastByte = "28000100 01000000 02000000 03000000 04000000 05000000 06000000 07000000 08000000 0000000a";
        String firstByte = "28000100 00000000 02000000 03000000 04000000 05000000 06000000 07000000 08000000 00000009";
        String longer = "2c000100 01000000 02000000 03000000 04000000 05000000 06000000 07000000 08000000 00000009 ff000000";
        String both = a + " 28000200 01000000 02000000 03000000 04000000 05000000 06000000 07000000 08000000 00000009";
        List<String> inTurn = List.of(a, a, lastByte, a, firstByte, firstByte, longer, a, both, both);
        List<String> rendered = new java.util.ArrayList<>();
        for (String hex : inTurn) {
            Message m = TestSpecs.message(d, 95, hex);
            assertTrue(m.problems.isEmpty(), m.problems.toString());
            JsonLinesSink.prerender(m);
            String fromBytes = new String(m.rendered, StandardCharsets.UTF_8);
            Message read = TestSpecs.message(d, 95, hex);
            touchAll(read.attrs);
            JsonLinesSink.prerender(read);
            assertEquals(new String(read.rendered, StandardCharsets.UTF_8), fromBytes, hex);
            rendered.add(fromBytes);
        }
        // The same struct bytes from a big-endian host are other values.
        Message big = TestSpecs.message(d, 95, "00280001" + a.substring(8),
                java.nio.ByteOrder.BIG_ENDIAN);
        JsonLinesSink.prerender(big);
        assertTrue(new String(big.rendered, StandardCharsets.UTF_8)
                .contains("{\"a\":16777216,\"b\":33554432,"), "big-endian");
        Message again = TestSpecs.message(d, 95, a);
        JsonLinesSink.prerender(again);
        assertEquals(rendered.get(0), new String(again.rendered, StandardCharsets.UTF_8));
        assertTrue(rendered.get(2).contains("\"i\":10}"), rendered.get(2));
        assertTrue(rendered.get(4).contains("{\"a\":0,"), rendered.get(4));
        assertTrue(rendered.get(6).contains("\"_extra\":\"ff000000\""), rendered.get(6));
    }

    @Test
    void pendingUntilReadThenTheEagerEntries() {
        Message m = decode("18000100 0100 ffff feffffff 0200000000000000 00000003");
        DecodedObject plain = (DecodedObject) m.attrs.get("plain");
        assertNotNull(plain.pending(), "plain numbers stay bytes");
        int version = plain.version();
        assertEquals(-2, plain.get("b").asInt());
        assertNull(plain.pending(), "read once, made");
        assertEquals(version, plain.version(), "making the entries is not a change");
        assertEquals(List.of("a", "b", "c", "d"), iterable(plain.fieldNames()));
        assertEquals(4, plain.size());
        plain.put("e", 5);
        assertEquals("{\"a\":1,\"b\":-2,\"c\":2,\"d\":3,\"e\":5}", plain.toString());
    }

    @Test
    void oneMemberReadFromTheBytesWithoutMakingTheEntries() {
        String hex = "18000100 0100 ffff feffffff ffffffffffffffff 00000003";
        DecodedObject plain = (DecodedObject) decode(hex).attrs.get("plain");
        DecodedObject made = (DecodedObject) decode(hex).attrs.get("plain");
        made.size(); // the entries made
        for (DecodedObject o : List.of(plain, made)) {
            assertEquals(1, o.number("a", 7));
            assertEquals(-2, o.number("b", 7));
            assertEquals(-1, o.number("c", 7), "u64 above the signed range: asLong's low 64 bits");
            assertEquals(made.get("c").asLong(), o.number("c", 7));
            assertEquals(3, o.number("d", 7));
            assertEquals(7, o.number("pad", 7));
            assertEquals(7, o.number("nothing", 7));
        }
        assertNotNull(plain.pending(), "still bytes after reading members one by one");
    }

    @Test
    void structsWithEnumsAreDecodedAtOnce() {
        Message m = decode("06000200 0102 0000");
        DecodedObject o = (DecodedObject) m.attrs.get("withenum");
        assertNull(o.pending());
        assertEquals("{\"a\":\"one\",\"b\":2}", o.toString());
    }

    @Test
    void equalityAndHashingSeeTheEntries() {
        Message a = decode("18000100 0100 ffff feffffff 0200000000000000 00000003");
        Message b = decode("18000100 0100 ffff feffffff 0200000000000000 00000003");
        JsonNode eager = JSON.createObjectNode().put("a", 1L).put("b", -2L).put("c", 2L).put("d", 3L);
        assertEquals(eager, a.attrs.get("plain"));
        assertEquals(a.attrs.get("plain").hashCode(), b.attrs.get("plain").hashCode());
    }

    @Test
    void realLinkStatisticsRenderAsTheirEntriesDo() throws Exception {
        // Every message of a real capture: the body rendered from pending structs must be the
        // body rendered after every struct was read.
        int compared = 0;
        try (CaptureFileSource src = CaptureFileSource.open(
                Repo.samples().resolve("kinds/kinds.pcap"))) {
            SpecDecoder real = org.nlsniff.app.Decoding.build(List.of());
            Frame f;
            while ((f = src.next()) != null) {
                for (Message m : real.decode(f)) {
                    JsonLinesSink.prerender(m);
                    byte[] fromBytes = m.rendered;
                    touchAll(m.attrs);
                    JsonLinesSink.prerender(m);
                    assertEquals(new String(m.rendered, StandardCharsets.UTF_8),
                            new String(fromBytes, StandardCharsets.UTF_8), "frame " + f.number());
                    compared++;
                }
            }
        }
        assertTrue(compared > 100, "messages compared: " + compared);
    }

    private static void touchAll(JsonNode n) {
        if (n.isObject() || n.isArray()) {
            for (JsonNode c : n) {
                touchAll(c);
            }
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
