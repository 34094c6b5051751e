package org.nlsniff.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.app.Decoding;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.CaptureException;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.Problem;
import org.nlsniff.source.CaptureFileSource;

/**
 * Seeded mutation fuzzing of the decoder and both sinks, in-process.
 *
 * <ul>
 *   <li>Datagram level: every datagram of the bundled captures, mutated (bit flips, length fields
 *       set to 0/3/4/0xffff/..., truncation, duplicated and grafted attributes, nests wrapped in
 *       copies of themselves hundreds deep, message types and flags changed, other byte order,
 *       other protocol, splices), is decoded, printed as ip-style text and as JSON lines. No
 *       exception, bounded time, every JSON line parses with the README's keys in order,
 *       problem offsets lie in the datagram, and every message that ends before the first
 *       changed byte decodes exactly as before the mutation (nothing before the damage is lost).
 *   <li>File level: whole capture files (pcap and pcapng), mutated (record and block lengths,
 *       block types, truncation, duplicated/deleted records, junk), are read with {@link
 *       CaptureFileSource} and decoded; the only exception allowed is a one-line {@link
 *       CaptureException} naming the file, and every frame whose record ends before the first
 *       changed byte comes out unchanged.
 * </ul>
 *
 * <p>{@code -Dfuzz.iterations=N} (default 3000) sets the datagram mutations, file mutations are a
 * tenth of that ({@code -Dfuzz.fileIterations}); {@code -Dfuzz.seed=S} the seed (default: fixed,
 * so CI is reproducible; {@code -Dfuzz.seed=random} for a fresh one); {@code -Dfuzz.maxMillis}
 * the time one input may take (default 2000). Each distinct failure is reported with the seed and
 * iteration, and its input is saved as a capture under {@code samples/malformed/} (or {@code
 * -Dfuzz.saveDir}) with a line in the README.md there.
 */
class MutationFuzzTest {
    private static final long DEFAULT_SEED = 0x6e6c736e69666600L; // "nlsniff\0"
    private static final int MAX_REPORTED = 20;

    private static SpecDecoder decoder;
    private static final List<Frame> FRAMES = new ArrayList<>();
    private static final List<byte[]> FILES = new ArrayList<>();
    private static final List<String> FILE_NAMES = new ArrayList<>();
    private static ExecutorService worker;

    @BeforeAll
    static void load() throws Exception {
        decoder = Decoding.build(List.of());
        for (Path p : FuzzSupport.sampleCaptures()) {
            FRAMES.addAll(FuzzSupport.frames(p));
            FILES.add(Files.readAllBytes(p));
            FILE_NAMES.add(p.getFileName().toString());
        }
        // The hand-built corner fixtures (samples/corner/*.hex) are seeds too: message kinds the
        // captures lack (extended acks, bridge VLANs, encaps, multipath with a table id).
        Path corner = org.nlsniff.testing.Repo.samples().resolve("corner");
        if (Files.isDirectory(corner)) {
            try (var s = Files.list(corner)) {
                for (Path p : s.filter(x -> x.toString().endsWith(".hex")).sorted().toList()) {
                    var src = new org.nlsniff.source.HexFixtureSource(Files.readString(p),
                            p.getFileName().toString(), 0, ByteOrder.LITTLE_ENDIAN);
                    Frame f;
                    while ((f = src.next()) != null) {
                        FRAMES.add(f);
                    }
                }
            }
        }
        assertFalse(FRAMES.isEmpty(), "no sample frames to mutate");
        worker = newWorker();
    }

    @AfterAll
    static void stop() {
        worker.shutdownNow();
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    static long seed() {
        String s = System.getProperty("fuzz.seed");
        if (s == null || s.isBlank()) {
            return DEFAULT_SEED;
        }
        if (s.equals("random")) {
            return new Random().nextLong();
        }
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    static int iterations() {
        return Integer.getInteger("fuzz.iterations", 3000);
    }

    static long maxMillis() {
        return Long.getLong("fuzz.maxMillis", 2000);
    }

    /** Distinct failures, by signature, with the first input that showed each. */
    private static final class Failures {
        final Map<String, String> bySignature = new LinkedHashMap<>();
        int total;

        void add(String signature, String report) {
            total++;
            if (bySignature.size() < MAX_REPORTED) {
                bySignature.putIfAbsent(signature, report);
            }
        }

        boolean isNew(String signature) {
            return !bySignature.containsKey(signature) && bySignature.size() < MAX_REPORTED;
        }

        void assertNone(String what, long seed, int iterations) {
            if (total == 0) {
                return;
            }
            StringBuilder sb = new StringBuilder();
            sb.append(what).append(": ").append(total).append(" failing inputs, ")
                    .append(bySignature.size()).append(" distinct (seed ").append(seed)
                    .append(", ").append(iterations).append(" iterations; rerun with -Dfuzz.seed=")
                    .append(seed).append(")\n");
            bySignature.forEach((k, v) -> sb.append("--- ").append(k).append('\n').append(v)
                    .append('\n'));
            System.err.println(sb);
            fail(sb.toString());
        }
    }

    /** Runs one input on the worker thread with the time limit; returns the failure or null. */
    private static Throwable runBounded(Callable<String> body, long[] elapsed) {
        long start = System.nanoTime();
        Future<String> f = worker.submit(body);
        try {
            String violation = f.get(Math.max(maxMillis() * 5, 10_000), TimeUnit.MILLISECONDS);
            elapsed[0] = (System.nanoTime() - start) / 1_000_000;
            return violation == null ? null : new AssertionError(violation);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the old thread may be stuck for good; it is a daemon
            elapsed[0] = (System.nanoTime() - start) / 1_000_000;
            return new AssertionError("hang: no result after " + elapsed[0] + " ms");
        } catch (ExecutionException e) {
            elapsed[0] = (System.nanoTime() - start) / 1_000_000;
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    // --------------------------------------------------------------------------- datagrams

    @Test
    void mutatedDatagramsDecodeAndPrintWithinBounds() {
        long seed = seed();
        int n = iterations();
        Random r = new Random(seed);
        List<byte[]> pool = FRAMES.stream().map(Frame::data).toList();
        Mutator mut = new Mutator(r, pool);
        Failures failures = new Failures();
        long slowest = 0;
        for (int i = 0; i < n; i++) {
            Frame f = FRAMES.get(r.nextInt(FRAMES.size()));
            Mutator.Case c = mut.mutateDatagram(f.data(), f.order(), f.protocol(), f.nsid());
            Frame g = FuzzSupport.withData(f, c.data, c.order, c.protocol, c.nsid);
            long[] ms = {0};
            Throwable t = runBounded(() -> check(f, g, c.minChanged), ms);
            slowest = Math.max(slowest, ms[0]);
            if (t == null && ms[0] > maxMillis()) {
                t = new AssertionError("slow: " + ms[0] + " ms for a " + c.data.length
                        + "-byte datagram (limit " + maxMillis() + " ms)");
            }
            if (t != null) {
                String sig = t instanceof AssertionError ? "contract: " + firstWords(t.getMessage())
                        : FuzzSupport.signature(t);
                String report = "iteration " + i + ", from " + f.source() + " frame " + f.number()
                        + ", ops " + c.ops + ", order " + c.order + ", protocol " + c.protocol
                        + "\n" + (t instanceof AssertionError ? t.getMessage()
                                : FuzzSupport.stackTrace(t, 12))
                        + "\ninput: " + FuzzSupport.hex(c.data, 512);
                if (failures.isNew(sig)) {
                    Path saved = FuzzSupport.save("fuzz-" + Long.toUnsignedString(seed, 16) + "-" + i
                            + ".pcap", FuzzSupport.pcap(c.order, c.protocol & 0xffff,
                                    List.of(c.data)), sig + " (seed " + seed + ", iteration " + i
                                    + ", ops " + c.ops + ")");
                    report += "\nsaved: " + saved;
                }
                failures.add(sig, report);
            }
        }
        System.out.println("MutationFuzzTest datagrams: seed " + seed + ", " + n
                + " iterations, slowest " + slowest + " ms, failures " + failures.total);
        failures.assertNone("datagram fuzzing", seed, n);
    }

    private static String firstWords(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        return line.replaceAll("[0-9]+", "N");
    }

    /** Decode + print the mutated frame; check the contract and the undamaged prefix. */
    private static String check(Frame original, Frame mutated, int minChanged) throws IOException {
        FuzzSupport.Output out = FuzzSupport.decodeAndPrint(decoder, mutated);
        String v = FuzzSupport.contractViolation(mutated, out);
        if (v != null) {
            return v;
        }
        if (minChanged <= 0) {
            return null;
        }
        List<Message> before = decoder.decode(original);
        for (Message m : before) {
            int end = m.offset + Mutator.align4(m.length);
            if (m.type < 0 || end > minChanged || m.length > original.data().length - m.offset) {
                break;
            }
            if (m.index >= out.messages().size()) {
                return "message " + m.index + " (bytes " + m.offset + ".." + end
                        + ") before the first change at " + minChanged + " was lost";
            }
            Message n = out.messages().get(m.index);
            if (n.offset != m.offset || n.type != m.type || !n.header.equals(m.header)
                    || !n.attrs.equals(m.attrs) || !n.unknown.equals(m.unknown)
                    || !n.problems.equals(m.problems)) {
                return "message " + m.index + " (bytes " + m.offset + ".." + end
                        + ") before the first change at " + minChanged + " decodes differently";
            }
        }
        return null;
    }

    // --------------------------------------------------------------------------- files

    @Test
    void mutatedCaptureFilesGiveFramesOrOneLineError(@TempDir Path tmp) {
        long seed = seed() ^ 0x5a5a5a5aL;
        int n = Integer.getInteger("fuzz.fileIterations", Math.max(1, iterations() / 10));
        Random r = new Random(seed);
        Mutator mut = new Mutator(r, FRAMES.stream().map(Frame::data).toList());
        Failures failures = new Failures();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(FILES.size());
            byte[] original = shorten(FILES.get(k), r);
            Mutator.FileCase c = mut.mutateFile(original);
            String ext = FILE_NAMES.get(k).endsWith(".pcapng") ? ".pcapng" : ".pcap";
            Path file = tmp.resolve("fuzz" + ext);
            try {
                Files.write(file, c.data);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            long[] ms = {0};
            Throwable t = runBounded(() -> replay(file, original, c.minChanged), ms);
            if (t == null && ms[0] > maxMillis() * 5) {
                t = new AssertionError("slow: " + ms[0] + " ms for a " + c.data.length
                        + "-byte capture");
            }
            if (t != null) {
                String sig = t instanceof AssertionError ? "contract: " + firstWords(t.getMessage())
                        : FuzzSupport.signature(t);
                String report = "iteration " + i + ", from " + FILE_NAMES.get(k) + ", ops "
                        + c.ops + "\n" + (t instanceof AssertionError ? t.getMessage()
                                : FuzzSupport.stackTrace(t, 12));
                if (failures.isNew(sig)) {
                    Path saved = FuzzSupport.save("fuzz-file-" + Long.toUnsignedString(seed, 16)
                            + "-" + i + ext, c.data, sig + " (seed " + seed + ", iteration " + i
                            + ", ops " + c.ops + ")");
                    report += "\nsaved: " + saved;
                }
                failures.add(sig, report);
            }
        }
        System.out.println("MutationFuzzTest files: seed " + seed + ", " + n + " iterations, failures "
                + failures.total);
        failures.assertNone("capture file fuzzing", seed, n);
    }

    /**
     * Keeps a capture's header and a random run of its first records (so a file iteration
     * costs milliseconds, not the whole sample).
     */
    private static byte[] shorten(byte[] file, Random r) {
        List<int[]> recs = Mutator.records(file);
        if (recs.size() < 4) {
            return file;
        }
        int keep = 2 + r.nextInt(Math.min(40, recs.size() - 1));
        int[] last = recs.get(Math.min(keep, recs.size() - 1));
        return java.util.Arrays.copyOf(file, last[0] + last[1]);
    }

    /** Reads and decodes a (mutated) capture as the CLI's replay does; null when all is well. */
    private static String replay(Path file, byte[] original, int minChanged) throws IOException {
        List<Frame> expected = new ArrayList<>();
        List<int[]> recs = Mutator.records(original);
        List<Frame> originalFrames = readAll(original, file.getFileName().toString(), file);
        // Frames of records that end before the first change must come out as they were.
        int index = 0;
        for (int[] rec : recs) {
            boolean packet = rec[2] == -1 || rec[2] == 2 || rec[2] == 3 || rec[2] == 6;
            if (!packet) {
                continue;
            }
            if (rec[0] + rec[1] <= minChanged && index < originalFrames.size()) {
                expected.add(originalFrames.get(index));
            }
            index++;
        }
        List<Frame> got = new ArrayList<>();
        String name = file.getFileName().toString();
        CaptureFileSource src;
        try {
            src = CaptureFileSource.open(file);
        } catch (CaptureException e) {
            return oneLine(e, name, expected, got);
        }
        try (src; FuzzSupport.Printer printer = new FuzzSupport.Printer(decoder,
                src.carriesNamespaces())) {
            while (true) {
                Frame f;
                try {
                    f = src.next();
                } catch (CaptureException e) {
                    String v = oneLine(e, name, expected, got);
                    if (v != null) {
                        return v;
                    }
                    if (src.next() != null) {
                        return "next() after a CaptureException returned a frame";
                    }
                    return null;
                }
                if (f == null) {
                    break;
                }
                got.add(f);
                printer.pipeline.accept(f);
                FuzzSupport.Output out = printer.take(decoder.decode(f));
                String v = FuzzSupport.contractViolation(f, out);
                if (v != null) {
                    return "frame " + f.number() + ": " + v;
                }
            }
            printer.pipeline.finish();
            FuzzSupport.Output rest = printer.take(List.of());
            String v = FuzzSupport.textViolation(rest);
            if (v != null) {
                return "at the end: " + v;
            }
        }
        return framesKept(expected, got);
    }

    private static List<Frame> readAll(byte[] bytes, String name, Path beside) throws IOException {
        Path p = beside.resolveSibling("original-" + name);
        Files.write(p, bytes);
        try {
            return FuzzSupport.frames(p);
        } catch (CaptureException e) {
            return List.of(); // a shortened original may end mid-record: nothing to compare
        }
    }

    private static String oneLine(CaptureException e, String name, List<Frame> expected,
            List<Frame> got) {
        String msg = e.getMessage();
        if (msg == null || msg.contains("\n") || msg.contains("\r")) {
            return "CaptureException message is not one line: " + msg;
        }
        if (!msg.startsWith(name + ": ")) {
            return "CaptureException message does not start with the file name: " + msg;
        }
        return framesKept(expected, got);
    }

    private static String framesKept(List<Frame> expected, List<Frame> got) {
        for (int i = 0; i < expected.size(); i++) {
            Frame a = expected.get(i);
            if (i >= got.size()) {
                return "frame " + a.number() + " (complete before the first change) was lost";
            }
            Frame b = got.get(i);
            if (!java.util.Arrays.equals(a.data(), b.data()) || a.protocol() != b.protocol()
                    || a.number() != b.number() || !a.order().equals(b.order())
                    || a.tsNanos() != b.tsNanos()) {
                return "frame " + a.number() + " (complete before the first change) changed";
            }
        }
        return null;
    }

    // --------------------------------------------------------------------------- nesting bombs

    private static final FuzzSupport.Nl LE = new FuzzSupport.Nl(ByteOrder.LITTLE_ENDIAN);

    private static Frame frame(ByteOrder order, byte[] datagram) {
        return Frame.data(1_700_000_000_000_000_000L, "bomb.pcap", 1, 0, null, order, datagram);
    }

    /**
     * RTM_NEWLINK whose IFLA_LINKINFO says veth and whose VETH_INFO_PEER holds another link with
     * the same linkinfo, {@code levels} times: a veth peer nest containing itself.
     */
    static byte[] vethPeerBomb(FuzzSupport.Nl nl, int levels) {
        byte[] link = new byte[0];
        for (int i = 0; i < levels; i++) {
            byte[] peer = nl.attr(1, FuzzSupport.cat(nl.ifinfomsg(100 + i, 0),
                    nl.attr(3, nl.str("p" + i)), link)); // VETH_INFO_PEER
            byte[] data = nl.attr(2, peer); // IFLA_INFO_DATA
            link = nl.attr(18, FuzzSupport.cat(nl.attr(1, nl.str("veth")), data)); // IFLA_LINKINFO
        }
        return nl.msg(16, 0, nl.ifinfomsg(7, 0x1003), nl.attr(3, nl.str("bomb0")), link);
    }

    /** IFLA_AF_SPEC / IFLA_PROP_LIST / IFLA_LINKINFO each nested in itself {@code levels} deep. */
    static byte[] selfNest(FuzzSupport.Nl nl, int type, int levels, byte[] innermost) {
        levels = Math.min(levels, (0xffff - innermost.length) / 4);
        // Headers outermost first, each one's length covering everything inside it (built in
        // one pass: wrapping copy by copy would be quadratic).
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(levels * 4 + innermost.length)
                .order(nl.order);
        for (int i = 0; i < levels; i++) {
            b.putShort((short) (innermost.length + (levels - i) * 4)).putShort((short) (type | 0x8000));
        }
        b.put(innermost);
        return nl.msg(16, 0, nl.ifinfomsg(7, 0), b.array());
    }

    /** RTA_MULTIPATH whose rtnexthop carries another RTA_MULTIPATH, {@code levels} deep. */
    static byte[] multipathBomb(FuzzSupport.Nl nl, int levels) {
        byte[] inner = new byte[0];
        for (int i = 0; i < levels; i++) {
            byte[] nh = FuzzSupport.cat(nl.rtnexthop(inner.length, 5), inner);
            if (nh.length + 4 > 0xffff) {
                break;
            }
            inner = nl.attr(9, nh);
        }
        return nl.msg(24, 0, nl.rtmsg(), nl.attr(1, new byte[] {(byte) 203, 0, 113, 0}), inner);
    }

    private static List<String> codes(List<Message> ms) {
        List<String> out = new ArrayList<>();
        for (Message m : ms) {
            for (Problem p : m.problems) {
                out.add(p.code());
            }
        }
        return out;
    }

    @Test
    void vethPeerNestingBombReportsNestingTooDeep() throws IOException {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            Frame f = frame(order, vethPeerBomb(new FuzzSupport.Nl(order), 300));
            FuzzSupport.Output out = FuzzSupport.decodeAndPrint(decoder, f);
            assertEquals(null, FuzzSupport.contractViolation(f, out));
            assertEquals(1, out.messages().size());
            assertTrue(codes(out.messages()).contains("nesting-too-deep"),
                    "problems: " + out.messages().get(0).problems);
            assertEquals("link.new", out.messages().get(0).event);
            assertEquals("bomb0", out.messages().get(0).attrs.path("ifname").asText());
            // The JSON stays shallow: the limit is on depth, not on what gets printed.
            JsonNode line = FuzzSupport.MAPPER.readTree(out.json());
            assertTrue(depth(line) < 200, "JSON depth " + depth(line));
        }
    }

    @Test
    void macvlanMacaddrDataNestedInItselfReportsNestingTooDeep() throws IOException {
        // IFLA_MACVLAN_MACADDR_DATA (5) uses linkinfo-macvlan-attrs, i.e. itself.
        byte[] inner = LE.attr(4, new byte[] {2, 0, 0, 0, 0, 1}); // IFLA_MACVLAN_MACADDR
        for (int i = 0; i < 500; i++) {
            inner = LE.attr(5, inner);
        }
        byte[] linkinfo = LE.attr(18, FuzzSupport.cat(LE.attr(1, LE.str("macvlan")),
                LE.attr(2, inner)));
        Frame f = frame(ByteOrder.LITTLE_ENDIAN, LE.msg(16, 0, LE.ifinfomsg(9, 0), linkinfo));
        FuzzSupport.Output out = FuzzSupport.decodeAndPrint(decoder, f);
        assertEquals(null, FuzzSupport.contractViolation(f, out));
        assertTrue(codes(out.messages()).contains("nesting-too-deep"),
                "problems: " + out.messages().get(0).problems);
    }

    @Test
    void selfNestedAfSpecPropListAndLinkinfoDecodeWithoutException() {
        for (int type : new int[] {26, 52, 18, 12, 22, 24, 43, 55}) {
            for (int levels : new int[] {33, 300, 16000}) {
                byte[] d = selfNest(LE, type, levels, LE.attr(3, LE.str("x")));
                Frame f = frame(ByteOrder.LITTLE_ENDIAN, d);
                FuzzSupport.Output out = assertDoesNotThrow(
                        () -> FuzzSupport.decodeAndPrint(decoder, f), "type " + type + " x" + levels);
                assertEquals(null, FuzzSupport.contractViolation(f, out), "type " + type);
            }
        }
    }

    /**
     * RTA_MULTIPATH entries carry route attributes, RTA_MULTIPATH among them: the Java decoder
     * walks them with a fresh depth, so the nesting limit must still apply across it.
     */
    @Test
    void multipathNestingBombReportsNestingTooDeep() {
        for (int levels : new int[] {5400, 600, 40}) {
            Frame f = frame(ByteOrder.LITTLE_ENDIAN, multipathBomb(LE, levels));
            FuzzSupport.Output out = assertDoesNotThrow(
                    () -> FuzzSupport.decodeAndPrint(decoder, f),
                    "RTA_MULTIPATH nested " + levels + " deep (" + f.data().length + " bytes)");
            assertEquals(null, FuzzSupport.contractViolation(f, out), "x" + levels);
            assertTrue(codes(out.messages()).contains("nesting-too-deep"),
                    "RTA_MULTIPATH nested " + levels + " deep: no nesting-too-deep, problems "
                            + codes(out.messages()));
        }
    }

    /** NLMSG_ERROR whose echoed request is an NLMSG_ERROR, {@code levels} deep. */
    static byte[] errorEchoBomb(FuzzSupport.Nl nl, int levels, int unknownAttrs) {
        byte[][] unknown = new byte[unknownAttrs][];
        java.util.Arrays.fill(unknown, nl.attr(999, new byte[0]));
        byte[] m = nl.msg(16, 5, nl.ifinfomsg(7, 0), FuzzSupport.cat(unknown));
        for (int i = 0; i < levels; i++) {
            m = nl.msg(2, 0, nl.u32(-22), m);
        }
        return m;
    }

    /**
     * The echoed request of an NLMSG_ERROR is decoded as a message, which may be an NLMSG_ERROR
     * again: that recursion needs the depth limit too (stack, and JSON nesting of header.msg).
     */
    @Test
    void nlmsgErrorEchoingErrorsReportsNestingTooDeep() {
        for (int levels : new int[] {3000, 600, 40}) {
            Frame f = frame(ByteOrder.LITTLE_ENDIAN, errorEchoBomb(LE, levels, 1));
            FuzzSupport.Output out = assertDoesNotThrow(
                    () -> FuzzSupport.decodeAndPrint(decoder, f),
                    "NLMSG_ERROR echoing NLMSG_ERROR " + levels + " deep (" + f.data().length
                            + " bytes)");
            assertEquals(null, FuzzSupport.contractViolation(f, out), "x" + levels);
            assertTrue(codes(out.messages()).contains("nesting-too-deep"),
                    "NLMSG_ERROR nested " + levels + " deep: no nesting-too-deep, problems "
                            + codes(out.messages()));
        }
    }

    /**
     * Unknown attributes of an echoed request are re-homed at every level of an NLMSG_ERROR
     * chain (path "msg.msg.msg..."): that must stay linear, not cost seconds per datagram.
     */
    @Test
    void nlmsgErrorChainWithManyUnknownAttributesIsFast() {
        Frame f = frame(ByteOrder.LITTLE_ENDIAN, errorEchoBomb(LE, 800, 12000));
        long start = System.nanoTime();
        assertDoesNotThrow(() -> FuzzSupport.decodeAndPrint(decoder, f));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < maxMillis(), f.data().length + "-byte datagram took " + ms + " ms");
    }

    @Test
    void multipathWithZeroLengthRtnexthopIsAProblem() throws IOException {
        for (int len : new int[] {0, 3, 7, 0xffff}) {
            byte[] nh = java.nio.ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putShort((short) len).put((byte) 0).put((byte) 0).putInt(5)
                    .putShort((short) 8).put((byte) 0).put((byte) 0).putInt(6).array();
            Frame f = frame(ByteOrder.LITTLE_ENDIAN, LE.msg(24, 0, LE.rtmsg(), LE.attr(9, nh)));
            FuzzSupport.Output out = FuzzSupport.decodeAndPrint(decoder, f);
            assertEquals(null, FuzzSupport.contractViolation(f, out));
            assertTrue(codes(out.messages()).contains("nexthop-length-invalid"), "len " + len);
        }
    }

    private static int depth(JsonNode n) {
        int max = 0;
        for (JsonNode c : n) {
            max = Math.max(max, depth(c));
        }
        return (n.isContainerNode() ? 1 : 0) + max;
    }

    @Test
    void seedIsPrintedAndReproducible() {
        // Two runs of the mutator from one seed produce the same inputs: a reported seed is enough.
        Mutator a = new Mutator(new Random(7), FRAMES.stream().map(Frame::data).toList());
        Mutator b = new Mutator(new Random(7), FRAMES.stream().map(Frame::data).toList());
        for (int i = 0; i < 50; i++) {
            Frame f = FRAMES.get(i % FRAMES.size());
            Mutator.Case x = a.mutateDatagram(f.data(), f.order(), f.protocol(), f.nsid());
            Mutator.Case y = b.mutateDatagram(f.data(), f.order(), f.protocol(), f.nsid());
            assertNotNull(x.data);
            assertTrue(java.util.Arrays.equals(x.data, y.data), "iteration " + i);
            assertEquals(x.ops, y.ops);
        }
    }
}
