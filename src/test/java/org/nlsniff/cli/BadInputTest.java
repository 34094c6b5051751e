package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.testing.Repo;

/**
 * What a user sees for unusable input: one line on stderr naming the file (and frame and byte
 * offset where there is one), exit code 2, no stack trace; damage inside a frame becomes a
 * problem on the event and the next frame still decodes.
 */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    private static void oneLineNoTrace(Repo.Run r) {
        assertEquals(1, r.err().strip().lines().count(), "stderr: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }

    @Test
    void missingFileExitsTwoWithOneLine() {
        Repo.Run r = Repo.cli("-r", tmp.resolve("nope.pcap").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.pcap: no such file"), r.err());
        oneLineNoTrace(r);
    }

    @Test
    void anEmptyFileNameIsSaidSo() {
        // Path.of("") is the working directory: without the check, "-f" said ": Is a directory"
        // and "-w" "-w : cannot create: : Is a directory".
        for (String[] args : new String[][] {{"decode", "-f", ""}, {"-w", "", "-c", "1"}}) {
            Repo.Run r = Repo.cli(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals("nlsniff: " + args[args[0].equals("decode") ? 1 : 0]
                    + " needs a file name (it was given an empty one)", r.err().strip());
            assertTrue(r.out().isEmpty(), r.out());
        }
    }

    @Test
    void liveOnlyOptionsWithACaptureAreUsageErrors() {
        String seed = Repo.samples().resolve("seed/seed.pcap").toString();
        for (String[] extra : new String[][] {{"--dump"}, {"--all-nsid"}, {"-g", "link"},
                {"--netns", "x"}, {"--resync"}, {"--queue", "5"}, {"-w", tmp.resolve("w.pcap").toString()}}) {
            String[] args = new String[extra.length + 2];
            args[0] = "-r";
            args[1] = seed;
            System.arraycopy(extra, 0, args, 2, extra.length);
            Repo.Run r = Repo.cli(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().isEmpty(), r.out());
            oneLineNoTrace(r);
        }
    }

    @Test
    void outOfRangeNumbersAreUsageErrors() {
        for (String[] args : new String[][] {{"-c", "-1"}, {"-c", "-7"}, {"--queue", "0"},
                {"--rcvbuf", "-5"}}) {
            Repo.Run r = Repo.cli(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains(args[0]), r.err());
            oneLineNoTrace(r);
        }
    }

    @Test
    void countStopsAtExactlyNMessagesInsideADatagram() {
        // requests.pcap frame 101 holds two messages: -c 103 ends between them.
        Repo.Run all = Repo.cli("-r", Repo.samples().resolve("requests/requests.pcap").toString(),
                "--json");
        for (int n : new int[] {1, 102, 103, 104}) {
            Repo.Run r = Repo.cli("-r", Repo.samples().resolve("requests/requests.pcap").toString(),
                    "--json", "-c", Integer.toString(n));
            assertEquals(0, r.code(), r.err());
            assertEquals(all.out().lines().limit(n).toList(), r.out().lines().toList(), "-c " + n);
        }
    }

    @Test
    void aPipeIsRefusedWithOneLine() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        Repo.Run r = Repo.cli("-r", fifo.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("fifo: is a pipe or a device"), r.err());
        oneLineNoTrace(r);
    }

    @Test
    void decodeOfAnEndlessFileOrPipeStopsAtTheLimit() throws Exception {
        // The attack's `decode -f /dev/zero`: 5 GB read before the heap ran out.
        Repo.Run zero = Repo.cli("decode", "-f", "/dev/zero");
        assertEquals(2, zero.code(), zero.err());
        oneLineNoTrace(zero);
        assertTrue(zero.err().contains("/dev/zero: more than 64 MiB of hex text"), zero.err());
        // `yes 00 | nlsniff decode -f /dev/stdin`: a pipe, here a FIFO with `yes` writing.
        Path fifo = tmp.resolve("hex");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Process yes = new ProcessBuilder("sh", "-c", "exec yes 00 > " + fifo).start();
        try {
            Repo.Run pipe = Repo.cli("decode", "-f", fifo.toString());
            assertEquals(2, pipe.code(), pipe.err());
            oneLineNoTrace(pipe);
            assertTrue(pipe.err().contains(": more than 64 MiB of hex text"), pipe.err());
        } finally {
            yes.destroy();
        }
    }

    @Test
    void pcapOfAnotherLinkTypeIsRefused() throws IOException {
        Path f = tmp.resolve("eth.pcap");
        Files.write(f, pcap(1, new byte[][] {new byte[60]}));
        Repo.Run r = Repo.cli("-r", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("link type 1") && r.err().contains("253"), r.err());
        oneLineNoTrace(r);
    }

    @Test
    void truncatedCaptureDecodesEveryCompleteFrameThenExitsTwo() throws IOException {
        byte[] whole = Files.readAllBytes(Repo.samples().resolve("seed/seed.pcap"));
        Path f = tmp.resolve("cut.pcap");
        Files.write(f, Arrays.copyOf(whole, 5000));
        Repo.Run r = Repo.cli("-r", f.toString(), "--json");
        assertEquals(2, r.code());
        assertTrue(r.err().matches("(?s)nlsniff: cut.pcap: truncated: frame 14 at offset \\d+ .*"), r.err());
        oneLineNoTrace(r);
        assertEquals(13, r.out().lines().filter(l -> !l.contains("\"derived_from\"")).count(),
                "the 13 complete frames are decoded");
    }

    /** 100 MB of random bytes, bare and behind a valid pcap header: one line, exit 2, quickly. */
    @Test
    void aHundredMegabytesOfRandomBytes() throws IOException {
        java.util.Random rnd = new java.util.Random(100);
        byte[] junk = new byte[100 << 20];
        rnd.nextBytes(junk);
        junk[0] = 0x42; // not by chance a magic number
        Path bare = tmp.resolve("random.bin");
        Files.write(bare, junk);
        Path headed = tmp.resolve("random.pcap");
        byte[] header = pcap(253, new byte[0][]);
        System.arraycopy(header, 0, junk, 0, header.length);
        Files.write(headed, junk);
        for (Path f : new Path[] {bare, headed}) {
            long t0 = System.nanoTime();
            Repo.Run r = Repo.cli("-r", f.toString(), "--json");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(2, r.code(), f + ": " + r.err());
            assertTrue(r.err().contains(f.getFileName().toString()), r.err());
            oneLineNoTrace(r);
            // Not a timing assertion: a bound far above any run, against reading it all.
            assertTrue(seconds < 30, f + " took " + seconds + " s");
        }
        Files.delete(bare);
        Files.delete(headed);
    }

    @Test
    void notACaptureAtAll() throws IOException {
        Path f = tmp.resolve("text.pcap");
        Files.writeString(f, "hello, this is not a capture\n");
        Repo.Run r = Repo.cli("-r", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a pcap or pcapng file"), r.err());
        oneLineNoTrace(r);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Repo.Run r = Repo.cli("--frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r.err());
    }

    @Test
    void unknownGroupIsAUsageError() {
        Repo.Run r = Repo.cli("--groups", "link,bogus", "-c", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown group `bogus`"), r.err());
    }

    @Test
    void tuiWithoutATerminalExplainsAndWritesText() {
        Repo.Run r = Repo.cli("--tui", "-r", Repo.samples().resolve("seed/seed.pcap").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("--tui needs a terminal, and stdout is not one: writing text instead"), r.err());
        assertTrue(r.out().startsWith("[NETCONF]inet if64"), r.out());
    }

    @Test
    void aGoodReplayPrintsNothingOnStderrWhenItIsNotATerminal() {
        Repo.Run r = Repo.cli("-r", Repo.samples().resolve("routes/routes.pcapng").toString());
        assertEquals(0, r.code());
        assertEquals("", r.err());
    }

    @Test
    void helpAndVersion() {
        Repo.Run h = Repo.cli("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("-r, --read=FILE") && h.out().contains("--json"), h.out());
        Repo.Run v = Repo.cli("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().matches("nlsniff \\d+\\.\\d+\\.\\d+\\R"), v.out());
    }

    @Test
    void damagedFramesBecomeProblemsAndDecodingGoesOn() throws IOException {
        ByteBuffer good = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        good.putInt(20).putShort((short) 88).putShort((short) 0).putInt(0).putInt(0).putInt(0);
        byte[] nsidOk = good.array(); // RTM_NEWNSID with an rtgenmsg and no attributes
        byte[] overrun = nsidOk.clone();
        ByteBuffer.wrap(overrun).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 400); // past the datagram
        byte[] tooSmall = nsidOk.clone();
        ByteBuffer.wrap(tooSmall).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 8);
        ByteBuffer badAttr = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        badAttr.putInt(28).putShort((short) 88).putShort((short) 0).putInt(0).putInt(0).putInt(0);
        badAttr.putShort((short) 40).putShort((short) 1).putInt(7); // attribute overruns parent
        Path f = tmp.resolve("damaged.pcap");
        Files.write(f, pcap(253, new byte[][] {cooked(overrun), new byte[10], cooked(tooSmall),
            cooked(badAttr.array()), cooked(nsidOk)}));
        Repo.Run r = Repo.cli("-r", f.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode[] ev = r.out().lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toArray(JsonNode[]::new);
        assertEquals(5, ev.length, r.out());
        assertEquals("message-overruns-datagram", ev[0].at("/problems/0/code").asText());
        assertEquals("frame-shorter-than-cooked-header", ev[1].at("/problems/0/code").asText());
        assertEquals("malformed", ev[1].at("/event").asText());
        assertEquals("message-length-too-small", ev[2].at("/problems/0/code").asText());
        assertEquals("attr-overruns-parent", ev[3].at("/problems/0/code").asText());
        assertEquals(20, ev[3].at("/problems/0/offset").asInt());
        assertEquals("nsid.new", ev[4].at("/event").asText());
        assertEquals(0, ev[4].at("/problems").size());
        Repo.Run text = Repo.cli("-r", f.toString());
        assertTrue(text.out().contains("[problem attr-overruns-parent at 20: "), text.out());
    }

    static byte[] cooked(byte[] netlink) {
        ByteBuffer b = ByteBuffer.allocate(16 + netlink.length); // big-endian cooked header
        b.putShort((short) 4).putShort((short) 824).putShort((short) 0).put(new byte[8])
                .putShort((short) 0).put(netlink);
        return b.array();
    }

    static byte[] pcap(int linkType, byte[][] frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(262144).putInt(linkType);
        out.writeBytes(h.array());
        int sec = 1_796_322_236;
        for (byte[] fr : frames) {
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(sec++).putInt(0).putInt(fr.length).putInt(fr.length);
            out.writeBytes(r.array());
            out.writeBytes(fr);
        }
        return out.toByteArray();
    }

    @Test
    void aHeapTooSmallForARecordIsOneLineNotAStackTrace() throws Exception {
        // A 40 MB record (within the 256 MiB a record may have) in a JVM with a 16 MiB heap.
        int n = 40 << 20;
        Path capture = tmp.resolve("large-record.pcap");
        ByteBuffer head = ByteBuffer.allocate(24 + 16 + 16).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(0).putInt(253).putInt(1).putInt(0).putInt(n + 16).putInt(n + 16);
        head.order(ByteOrder.BIG_ENDIAN).putShort((short) 4).putShort((short) 824);
        try (var ch = java.nio.channels.FileChannel.open(capture,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(head.position(0));
            ch.write(ByteBuffer.allocate(1), head.capacity() + n - 1L); // the rest: zeros
        }
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx16m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-r", capture.toString(), "--json")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile())
                .start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String e = Files.readString(err);
        assertEquals(1, p.exitValue(), e);
        assertEquals("nlsniff: out of memory: the Java heap is too small (see -Xmx in"
                + " NLSNIFF_JAVA_OPTS)", e.strip());
    }
}
