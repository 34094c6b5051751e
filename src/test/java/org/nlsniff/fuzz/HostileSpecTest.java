package org.nlsniff.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.app.Decoding;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.Frame;
import org.nlsniff.testing.Repo;

/** Decoder specs from a hostile hand: refused by lint in one line, or decoded without a throw. */
class HostileSpecTest {
    @TempDir Path dir;

    private static void oneLineExitTwo(Repo.Run r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    private Path spec(String yaml) throws Exception {
        Files.writeString(dir.resolve("x.yaml"), yaml);
        return dir;
    }

    @Test
    void structSizesBeyondANetlinkAttributeAreRefusedNotOverflowed() throws Exception {
        // The attack's spec-overflow: a binary member of 2^31-1 bytes and a u32 (the int sum
        // wrapped negative; decoding then threw NegativeArraySizeException and lost the output).
        spec("""
                name: evil-overflow
                protonum: 20
                definitions:
                  - name: bighdr
                    type: struct
                    members:
                      - { name: a, type: binary, len: 2147483647 }
                      - { name: b, type: u32 }
                operations:
                  list:
                    - { name: new, value: 16, fixed-header: bighdr }
                """);
        oneLineExitTwo(Repo.cli("decoders", "--lint", dir.toString()), "outside 1..65535");
        oneLineExitTwo(Repo.cli("decode", "--decoders", dir.toString(), "-p", "20",
                "14000000100000000000000000000000"), "outside 1..65535");
        spec("""
                name: evil-big
                protonum: 20
                definitions:
                  - name: bighdr
                    type: struct
                    members:
                      - { name: a, type: u32 }
                      - { name: b, type: binary, len: 65532 }
                operations:
                  list:
                    - { name: new, value: 16, fixed-header: bighdr }
                """);
        oneLineExitTwo(Repo.cli("decoders", "--lint", dir.toString()),
                "struct bighdr: larger than 65535 bytes at member b");
    }

    @Test
    void controlCharactersInSpecNamesNeverReachStdout() throws Exception {
        // The attack's spec-label-newline: a forged [LINK] line and a clear-screen escape.
        spec("""
                name: evil-claim
                protonum: 0
                x-object: evil
                x-label: "EVIL\\n[LINK]forged"
                x-type-prefix: "RTM_\\u001b[2J"
                attribute-sets:
                  - name: s
                    attributes:
                      - { name: "x\\ny", value: 1, type: u32 }
                operations:
                  list:
                    - { name: "ne\\nw", value: 100, attribute-set: s }
                """);
        oneLineExitTwo(Repo.cli("decoders", "--lint", dir.toString()), "x-label: character U+000A");
        oneLineExitTwo(Repo.cli("decode", "--decoders", dir.toString(),
                "14000000640000000000000000000000"), "x-label: character U+000A");
        oneLineExitTwo(Repo.cli("decoders", "--decoders", dir.toString()), "character U+000A");
    }

    @Test
    void decodersGivenBeforeTheSubcommandAreUsedNotIgnored() throws Exception {
        spec("""
                name: mine
                protonum: 0
                x-label: MINE
                operations: {list: [{name: thing, value: 100}]}
                """);
        for (String[] args : new String[][] {
                {"--decoders", dir.toString(), "decode", "14000000640000000000000000000000"},
                {"decode", "--decoders", dir.toString(), "14000000640000000000000000000000"}}) {
            Repo.Run r = Repo.cli(args);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("[MINE]RTM_THING"), String.join(" ", args) + ": " + r.out());
        }
        Repo.Run table = Repo.cli("--decoders", dir.toString(), "decoders");
        assertTrue(table.out().contains("RTM_THING"), table.out());
    }

    @Test
    void theDecodersTableEscapesAnOriginPathsControls() throws Exception {
        Path evil = Files.createDirectory(dir.resolve("d\u001b[2J\n[LINK]x\u202e"));
        Files.writeString(evil.resolve("x.yaml"), "name: ok\nprotonum: 21\n"
                + "operations: {list: [{name: new, value: 16}]}\n");
        for (Repo.Run r : new Repo.Run[] {Repo.cli("decoders", "--decoders", evil.toString()),
                Repo.cli("decoders", "--lint", evil.toString())}) {
            assertEquals(0, r.code(), r.err());
            assertFalse(r.out().contains("\u001b") || r.out().contains("\u202e")
                    || r.out().contains("\n[LINK]"), r.out());
            assertTrue(r.out().contains("d\\x1b[2J\\x0a[LINK]x\\u202e"), r.out());
        }
    }

    @Test
    void aFifoOrADeviceAmongTheSpecsIsRefusedNotWaitedFor() throws Exception {
        Path fifo = dir.resolve("x.yaml");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Repo.Run r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> Repo.cli("decoders", "--lint",
                        dir.toString()));
        oneLineExitTwo(r, "x.yaml: not a regular file (a FIFO, socket or device)");
        Files.delete(fifo);
        Files.createSymbolicLink(fifo, Path.of("/dev/zero"));
        oneLineExitTwo(Repo.cli("decoders", "--lint", dir.toString()), "not a regular file");
        Files.delete(fifo);
        Files.createDirectory(fifo);
        oneLineExitTwo(Repo.cli("decoders", "--lint", dir.toString()),
                "not a regular file (a directory)");
    }

    @Test
    void specsAtTheLimitsDecodeAnyBytesIntoProblemsNeverAThrow() throws Exception {
        spec("""
                name: edge
                protonum: 20
                definitions:
                  - name: full
                    type: struct
                    members:
                      - { name: a, type: u32 }
                      - { name: b, type: binary, len: 65531 }
                  - name: empty
                    type: struct
                    members: []
                  - name: small
                    type: struct
                    members:
                      - { name: p, type: pad, len: 3 }
                      - { name: q, type: u64 }
                attribute-sets:
                  - name: s
                    attributes:
                      - { name: x, value: 1, type: binary, struct: full }
                      - { name: y, value: 2, type: binary, struct: full, x-struct-array: true }
                      - { name: z, value: 3, type: binary, struct: empty, x-struct-array: true }
                      - { name: w, value: 4, type: binary, struct: small, x-struct-array: true }
                      - { name: n, value: 5, type: nest, nested-attributes: s }
                      - { name: e, value: 6, type: binary, struct: empty }
                operations:
                  list:
                    - { name: big, value: 16, fixed-header: full, attribute-set: s }
                    - { name: none, value: 17, fixed-header: empty, attribute-set: s }
                    - { name: little, value: 18, fixed-header: small, attribute-set: s }
                """);
        assertEquals(0, Repo.cli("decoders", "--lint", dir.toString()).code());
        SpecDecoder decoder = Decoding.build(List.of(dir));
        Random rnd = new Random(20);
        for (int i = 0; i < 3000; i++) {
            int len = rnd.nextInt(4) == 0 ? 16 + rnd.nextInt(70000) : 16 + rnd.nextInt(200);
            ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            rnd.nextBytes(b.array());
            b.putInt(0, rnd.nextBoolean() ? len : rnd.nextInt()).putShort(4, (short) (16 + i % 3));
            for (int a = 16 + (i % 3 == 1 ? 0 : i % 3 == 2 ? 12 : 65536); a + 4 <= len
                    && rnd.nextInt(8) != 0; a += 4 + rnd.nextInt(40)) {
                b.putShort(a, (short) rnd.nextInt(len - a + 8)).putShort(a + 2,
                        (short) (rnd.nextInt(7) | (rnd.nextInt(4) == 0 ? 0x8000 : 0)));
            }
            Frame f = Frame.data(0, "fuzz", i + 1, 20, null, ByteOrder.LITTLE_ENDIAN, b.array());
            // Decoded, enriched and printed as text and JSON: nothing may throw.
            String broken = FuzzSupport.contractViolation(f, FuzzSupport.decodeAndPrint(decoder, f));
            assertEquals(null, broken, "datagram " + i);
        }
    }
}
