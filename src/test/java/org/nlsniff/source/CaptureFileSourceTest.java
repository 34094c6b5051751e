package org.nlsniff.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.frame.CaptureException;
import org.nlsniff.frame.Frame;

class CaptureFileSourceTest {

    private static final Path REPO = Path.of(System.getProperty("user.dir"));
    private static final Path SAMPLES = REPO.resolve("samples");
    private static final Path SHARED = REPO.resolve("../shared/samples-raw");

    /** The datagram of the first line of seed/nlrecord.jsonl (RTM_NEWNETCONF, 76 bytes). */
    private static final String SEED_FIRST_HEX = "4c000000500000000000000000000000020000000800"
            + "010040000000080002000000000008000300000000000800040000000000080008000000000008"
            + "000500000000000800060000000000";

    /** Frames whose comment in seed/nlrecord.pcapng.tshark.tsv is {@code nsid=0 ...}. */
    private static final Set<Long> SEED_NSID_ZERO = Set.of(11L, 12L, 13L, 14L, 18L, 19L, 20L,
            25L, 26L, 27L, 28L, 29L, 30L, 31L, 35L, 36L, 37L, 38L, 39L, 40L, 41L, 42L, 43L, 48L,
            49L, 66L, 67L, 68L, 69L, 70L, 71L, 72L, 73L, 74L, 75L, 76L, 77L, 78L, 84L, 85L, 86L,
            87L, 88L);

    /** The first frame's capture time from seed/nlrecord.jsonl ({@code ts_ns}). */
    private static final long SEED_FIRST_TS_NS = 1796322236055245890L;

    private static final byte[] PAYLOAD_A = bytes("14000000100000000100000002000000");
    private static final byte[] PAYLOAD_B = bytes("1c000000140000000200000003000000aabbccdd");

    @TempDir Path dir;

    // ---------------------------------------------------------------------------------------------
    // Real captures (copies of ../shared/samples-raw in samples/).

    @Test
    void seedPcapAndPcapngHoldTheSameFrames() throws IOException {
        List<Frame> pcap = readAll(SAMPLES.resolve("seed/seed.pcap"));
        List<Frame> pcapng = readAll(SAMPLES.resolve("seed/seed.pcapng"));
        assertEquals(89, pcap.size());
        assertEquals(89, pcapng.size());
        for (int i = 0; i < pcap.size(); i++) {
            Frame a = pcap.get(i);
            Frame b = pcapng.get(i);
            String at = "frame " + (i + 1);
            assertEquals(i + 1, a.number(), at);
            assertEquals(i + 1, b.number(), at);
            assertEquals("seed.pcap", a.source());
            assertEquals("seed.pcapng", b.source());
            assertEquals(0, a.protocol(), at);
            assertEquals(0, b.protocol(), at);
            assertArrayEquals(a.data(), b.data(), at);
            assertEquals(b.tsNanos() / 1000 * 1000, a.tsNanos(), at);
            assertEquals(ByteOrder.LITTLE_ENDIAN, a.order());
            assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
            assertEquals(Frame.Kind.DATA, a.kind());
            assertNull(a.problem(), at);
            assertNull(b.problem(), at);
            assertNull(a.nsid(), at);
            assertEquals(SEED_NSID_ZERO.contains(b.number()) ? Integer.valueOf(0) : null,
                    b.nsid(), at);
        }
    }

    /**
     * A capture still being written: a record larger than what the reader last saw of the file
     * is waited for by asking the file's size again, not reported as truncated.
     */
    @Test
    void aGrowingCaptureIsReadToItsNewEnd() throws IOException {
        byte[] small = cooked(824, 0, bytes("10000000030000000000000000000000"));
        byte[] large = cooked(824, 0, new byte[3 << 20]);
        byte[] all = Writer.pcap(ByteOrder.LITTLE_ENDIAN, false, 0, 253).record(1, 0, small)
                .record(2, 0, large).record(3, 0, small).toBytes();
        int firstPart = 24 + 16 + small.length + (1600 << 10); // in the middle of the large one
        Path f = write("growing.pcap", Arrays.copyOf(all, firstPart));
        try (CaptureFileSource src = CaptureFileSource.open(f)) {
            assertEquals(small.length - 16, src.next().data().length);
            Files.write(f, Arrays.copyOfRange(all, firstPart, all.length),
                    java.nio.file.StandardOpenOption.APPEND);
            assertEquals(large.length - 16, src.next().data().length);
            assertEquals(small.length - 16, src.next().data().length);
            assertNull(src.next());
        }
    }

    /**
     * Cut below what was read, a capture is an error however the cut falls: found by an attack
     * on the reader, where it ended as a clean end (exit 0) when the size was asked again at a
     * record boundary.
     */
    @Test
    void aCaptureThatShrinksBelowWhatWasReadIsAnErrorNotAnEnd() throws IOException {
        // The size is asked again every 64 KiB read and the read buffer refilled at every 64
        // KiB of the file: with records of 40,000 bytes the two meet in every phase over the
        // cuts after 1 to 40 records.
        byte[] frame = cooked(824, 0, new byte[40_000]);
        Writer pcap = Writer.pcap(ByteOrder.LITTLE_ENDIAN, false, 0, 253);
        Writer pcapng = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, 9);
        for (int i = 0; i < 60; i++) {
            pcap.record(i, 0, frame);
            pcapng.epb(0, i, frame, null);
        }
        for (String kind : List.of("pcap", "pcapng")) {
            byte[] file = kind.equals("pcap") ? pcap.toBytes() : pcapng.toBytes();
            for (int before = 1; before <= 40; before++) {
                int cut = before % 2 == 0 ? 0 : 1000;
                Path f = write("shrinking." + kind, file);
                try (CaptureFileSource src = CaptureFileSource.open(f)) {
                    for (int i = 0; i < before; i++) {
                        assertNotNull(src.next());
                    }
                    try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(f,
                            java.nio.file.StandardOpenOption.WRITE)) {
                        c.truncate(cut);
                    }
                    CaptureException e = assertThrows(CaptureException.class, () -> {
                        while (src.next() != null) {
                            // frames still buffered may come first
                        }
                    }, kind + " cut to " + cut + " after " + before + " records");
                    assertTrue(e.getMessage().contains("shrank"), e.getMessage());
                }
            }
        }
    }

    @Test
    void seedFirstFrameMatchesTheJsonlOracle() throws IOException {
        for (String file : List.of("seed/seed.pcap", "seed/seed.pcapng")) {
            try (CaptureFileSource source = CaptureFileSource.open(SAMPLES.resolve(file))) {
                Frame first = source.next();
                assertEquals(SEED_FIRST_HEX, HexFormat.of().formatHex(first.data()), file);
            }
        }
        try (CaptureFileSource source =
                CaptureFileSource.open(SAMPLES.resolve("seed/seed.pcapng"))) {
            assertEquals(SEED_FIRST_TS_NS, source.next().tsNanos());
        }
    }

    @Test
    void requestsCaptureHoldsRouteAndGenericFrames() throws IOException {
        List<Frame> pcap = readAll(SAMPLES.resolve("requests/requests.pcap"));
        List<Frame> pcapng = readAll(SAMPLES.resolve("requests/requests.pcapng"));
        assertEquals(226, pcap.size());
        assertEquals(226, pcapng.size());
        Set<Integer> protocols = new TreeSet<>();
        for (int i = 0; i < pcap.size(); i++) {
            Frame a = pcap.get(i);
            Frame b = pcapng.get(i);
            protocols.add(a.protocol());
            assertEquals(a.protocol(), b.protocol());
            assertArrayEquals(a.data(), b.data());
            assertEquals(b.tsNanos() / 1000 * 1000, a.tsNanos());
            assertNull(b.nsid(), "dir=... comments carry no nsid");
            assertNull(a.problem());
            assertNull(b.problem());
        }
        assertEquals(Set.of(0, 16), protocols);
    }

    @Test
    void sampleCopiesMatchTheSharedOriginals() throws IOException {
        assumeTrue(Files.isDirectory(SHARED), "../shared/samples-raw not present");
        assertSameBytes(SHARED.resolve("seed/nlrecord.pcap"), SAMPLES.resolve("seed/seed.pcap"));
        assertSameBytes(SHARED.resolve("seed/nlrecord.pcapng"),
                SAMPLES.resolve("seed/seed.pcapng"));
        for (String ext : List.of("pcap", "pcapng")) {
            String file = "requests/requests." + ext;
            assertSameBytes(SHARED.resolve(file), SAMPLES.resolve(file));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Classic pcap.

    @Test
    void bigEndianMicrosecondPcap() throws IOException {
        byte[] file = Writer.pcap(ByteOrder.BIG_ENDIAN, false, 65535, 253)
                .record(1_700_000_000L, 123_456, cooked(824, 0, PAYLOAD_A))
                .record(1_700_000_001L, 999_999, cooked(824, 16, PAYLOAD_B))
                .toBytes();
        assertEquals("a1b2c3d4", HexFormat.of().formatHex(file, 0, 4));
        List<Frame> frames = readAll(write("be.pcap", file));
        assertEquals(2, frames.size());
        assertFrame(frames.get(0), 1, 1_700_000_000_123_456_000L, 0, ByteOrder.BIG_ENDIAN,
                PAYLOAD_A);
        assertFrame(frames.get(1), 2, 1_700_000_001_999_999_000L, 16, ByteOrder.BIG_ENDIAN,
                PAYLOAD_B);
        assertEquals("be.pcap", frames.get(0).source());
        assertNull(frames.get(0).nsid());
    }

    @Test
    void nanosecondPcapInBothByteOrders() throws IOException {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] file = Writer.pcap(order, true, 0, 253)
                    .record(1_700_000_000L, 123_456_789, cooked(824, 0, PAYLOAD_A))
                    .toBytes();
            List<Frame> frames = readAll(write("ns-" + order + ".pcap", file));
            assertEquals(1, frames.size());
            assertFrame(frames.get(0), 1, 1_700_000_000_123_456_789L, 0, order, PAYLOAD_A);
        }
    }

    @Test
    void pcapOfAnotherLinkTypeIsRejectedAtOpen() throws IOException {
        Path file = write("eth.pcap", Writer.pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, 1)
                .record(1, 0, cooked(824, 0, PAYLOAD_A)).toBytes());
        CaptureException e = assertThrows(CaptureException.class,
                () -> CaptureFileSource.open(file));
        assertEquals("eth.pcap: link type 1 (ETHERNET) is not LINKTYPE_NETLINK (253); capture"
                + " with an nlmon device", e.getMessage());
    }

    @Test
    void recordHeaderClaimingFourGibibytesIsRejectedWithoutAllocating() throws IOException {
        Writer w = Writer.pcap(ByteOrder.LITTLE_ENDIAN, false, 262144, 253)
                .record(1, 0, cooked(824, 0, PAYLOAD_A));
        int badOffset = w.size();
        w.recordHeader(2, 0, 0xffffffffL, 0xffffffffL).bytes(new byte[64]);
        try (CaptureFileSource source = CaptureFileSource.open(write("huge.pcap", w.toBytes()))) {
            assertNotNull(source.next());
            CaptureException e = assertThrows(CaptureException.class, source::next);
            assertEquals("huge.pcap: frame 2 at offset " + badOffset
                    + ": record length 4294967295 exceeds snaplen 262144", e.getMessage());
            assertNull(source.next());
        }
    }

    @Test
    void recordLongerThanTheLimitIsRejectedWhenSnaplenIsZero() throws IOException {
        byte[] file = Writer.pcap(ByteOrder.BIG_ENDIAN, false, 0, 253)
                .recordHeader(1, 0, 0xfffffff0L, 0xfffffff0L).bytes(new byte[32]).toBytes();
        try (CaptureFileSource source = CaptureFileSource.open(write("zero.pcap", file))) {
            CaptureException e = assertThrows(CaptureException.class, source::next);
            assertEquals("zero.pcap: frame 1 at offset 24: record length 4294967280 exceeds"
                    + " snaplen 0 (limit 268435456)", e.getMessage());
        }
    }

    @Test
    void truncatedPcapAtEveryCutPoint() throws IOException {
        Writer w = Writer.pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, 253);
        List<Integer> ends = new ArrayList<>();
        List<byte[]> payloads = List.of(PAYLOAD_A, PAYLOAD_B, new byte[0]);
        for (int i = 0; i < payloads.size(); i++) {
            w.record(10 + i, i, cooked(824, 0, payloads.get(i)));
            ends.add(w.size());
        }
        List<Integer> cleanCuts = new ArrayList<>(ends);
        cleanCuts.add(24);
        assertEveryCut(w.toBytes(), "cut.pcap", ends, cleanCuts, payloads);
    }

    @Test
    void truncatedRecordMessageNamesFrameOffsetAndLengths() throws IOException {
        Writer w = Writer.pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, 253)
                .record(1, 0, cooked(824, 0, PAYLOAD_A))
                .record(2, 0, cooked(824, 0, PAYLOAD_B));
        byte[] whole = w.toBytes();
        int second = 24 + 16 + 16 + PAYLOAD_A.length;
        Path file = write("t.pcap", Arrays.copyOf(whole, whole.length - 5));
        try (CaptureFileSource source = CaptureFileSource.open(file)) {
            assertEquals(1, source.next().number());
            CaptureException e = assertThrows(CaptureException.class, source::next);
            int needed = 16 + 16 + PAYLOAD_B.length;
            assertEquals("t.pcap: truncated: frame 2 at offset " + second + " needs " + needed
                    + " bytes, only " + (needed - 5) + " remain", e.getMessage());
            assertNull(source.next());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // pcapng.

    @Test
    void pcapngWithTwoSectionsOfDifferentOrderAndTwoInterfaces() throws IOException {
        byte[] frameC = cooked(824, 16, PAYLOAD_B);
        byte[] file = new Writer(ByteOrder.LITTLE_ENDIAN)
                .shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, null)
                .idb(253, 9)
                .epb(0, 1_700_000_000_123_456L, cooked(824, 0, PAYLOAD_A), "nsid=101 group=5")
                .epb(1, 1_700_000_000_123_456_789L, cooked(824, 0, PAYLOAD_B),
                        "nsid=current group=1")
                .shb(ByteOrder.BIG_ENDIAN)
                .idb(253, null)
                .epb(0, 1_600_000_000_000_001L, frameC, "dir=to-kernel pid=7 proto=16")
                .spb(cooked(824, 0, PAYLOAD_A))
                .toBytes();
        List<Frame> frames = readAll(write("two.pcapng", file));
        assertEquals(4, frames.size());
        assertFrame(frames.get(0), 1, 1_700_000_000_123_456_000L, 0, ByteOrder.LITTLE_ENDIAN,
                PAYLOAD_A);
        assertEquals(101, frames.get(0).nsid());
        assertFrame(frames.get(1), 2, 1_700_000_000_123_456_789L, 0, ByteOrder.LITTLE_ENDIAN,
                PAYLOAD_B);
        assertNull(frames.get(1).nsid());
        assertFrame(frames.get(2), 3, 1_600_000_000_000_001_000L, 16, ByteOrder.BIG_ENDIAN,
                PAYLOAD_B);
        assertNull(frames.get(2).nsid());
        assertFrame(frames.get(3), 4, 0, 0, ByteOrder.BIG_ENDIAN, PAYLOAD_A);
    }

    @Test
    void simplePacketBlockHasNoTimestampAndUsesInterfaceZero() throws IOException {
        byte[] file = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, 9).spb(cooked(824, 16, PAYLOAD_B)).toBytes();
        List<Frame> frames = readAll(write("spb.pcapng", file));
        assertEquals(1, frames.size());
        assertFrame(frames.get(0), 1, 0, 16, ByteOrder.LITTLE_ENDIAN, PAYLOAD_B);
        assertNull(frames.get(0).nsid());
    }

    @Test
    void interfaceTimestampResolutionAndOffset() throws IOException {
        byte[] frame = cooked(824, 0, PAYLOAD_A);
        byte[] file = new Writer(ByteOrder.BIG_ENDIAN).shb(ByteOrder.BIG_ENDIAN)
                .idb(253, null) // default: microseconds
                .idb(253, 3) // milliseconds
                .idb(253, 9) // nanoseconds
                .idb(253, 0x80 | 10) // 1/1024 s
                .idb(253, 12) // picoseconds
                .idb(253, 0x80 | 40) // 2^-40 s
                .block(1, b -> b.u16(253).u16(0).u32(0)
                        .option(14, ByteBuffer.allocate(8).putLong(100).array()) // +100 s
                        .endOfOptions())
                .epb(0, 1_500_000L, frame, null)
                .epb(1, 1_500L, frame, null)
                .epb(2, 1_500_000_001L, frame, null)
                .epb(3, 3 * 1024 + 512, frame, null)
                .epb(4, 1_500_000_000_999L, frame, null)
                .epb(5, (3L << 40) + (1L << 39), frame, null)
                .epb(6, 7, frame, null)
                .toBytes();
        List<Frame> frames = readAll(write("tsresol.pcapng", file));
        assertEquals(List.of(1_500_000_000L, 1_500_000_000L, 1_500_000_001L, 3_500_000_000L,
                        1_500_000_000L, 3_500_000_000L, 100_000_007_000L),
                frames.stream().map(Frame::tsNanos).toList());
    }

    /** Every if_tsresol against BigInteger arithmetic: 2^-k and 10^-v, k and v 0..127. */
    @Test
    void everyTimestampResolutionConvertsExactlyWithoutShiftWrapAround() throws IOException {
        byte[] frame = cooked(824, 0, PAYLOAD_A);
        long[] counts = {0, 1, 7, 1_500_000_000L, 0xffffffffL, 1L << 40, Long.MAX_VALUE,
            Long.MIN_VALUE, -1L, 0xe000000000000000L};
        for (int resol = 0; resol < 256; resol++) {
            Writer w = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                    .idb(253, resol);
            for (long c : counts) {
                w.epb(0, c, frame, null);
            }
            List<Frame> frames = readAll(write("tsresol-" + resol + ".pcapng", w.toBytes()));
            for (int i = 0; i < counts.length; i++) {
                java.math.BigInteger units = new java.math.BigInteger(
                        Long.toUnsignedString(counts[i]));
                int e = resol & 0x7f;
                java.math.BigInteger nanos = (resol & 0x80) != 0
                        ? units.multiply(java.math.BigInteger.valueOf(1_000_000_000L)).shiftRight(e)
                        : e <= 9 ? units.multiply(java.math.BigInteger.TEN.pow(9 - e))
                        : units.divide(java.math.BigInteger.TEN.pow(e - 9));
                long expected = nanos.bitLength() < 64 ? nanos.longValue() : Long.MAX_VALUE;
                assertEquals(expected, frames.get(i).tsNanos(),
                        "if_tsresol 0x" + Integer.toHexString(resol) + ", " + units + " units");
            }
        }
    }

    @Test
    void unknownAndObsoleteBlocksAreHandled() throws IOException {
        byte[] file = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .block(4, b -> b.u16(0).u16(0)) // name resolution block, skipped
                .idb(253, null)
                .block(0x0BAD, b -> b.bytes(new byte[] {1, 2, 3, 4, 5})) // custom, skipped
                .block(2, b -> b.u16(0).u16(0).u32(0).u32(2_000_000L).u32(16 + PAYLOAD_A.length)
                        .u32(16 + PAYLOAD_A.length).bytes(cooked(824, 0, PAYLOAD_A)).pad4()
                        .option(1, utf8("nsid=7")).endOfOptions()) // obsolete packet block
                .block(5, b -> b.u32(0).u32(0).u32(0)) // interface statistics, skipped
                .epb(0, 3_000_000L, cooked(824, 0, PAYLOAD_B), null)
                .toBytes();
        List<Frame> frames = readAll(write("mixed.pcapng", file));
        assertEquals(2, frames.size());
        assertFrame(frames.get(0), 1, 2_000_000_000L, 0, ByteOrder.LITTLE_ENDIAN, PAYLOAD_A);
        assertEquals(7, frames.get(0).nsid());
        assertFrame(frames.get(1), 2, 3_000_000_000L, 0, ByteOrder.LITTLE_ENDIAN, PAYLOAD_B);
    }

    @Test
    void pcapngWhoseOnlyInterfaceIsEthernetIsRejected() throws IOException {
        byte[] file = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(1, null).epb(0, 0, cooked(824, 0, PAYLOAD_A), null).toBytes();
        Path path = write("eth.pcapng", file);
        CaptureException e = assertThrows(CaptureException.class, () -> readAll(path));
        assertEquals("eth.pcapng: interface 0: link type 1 (ETHERNET) is not LINKTYPE_NETLINK"
                + " (253); capture with an nlmon device", e.getMessage());
    }

    /**
     * An nlmon interface declared after a packet of another (found by an attack: the file was
     * refused at open, every netlink frame lost), or in a later section (two captures joined).
     */
    @Test
    void anNlmonInterfaceDeclaredAfterOthersPacketsIsRead() throws IOException {
        byte[] late = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(1, null).epb(0, 0, new byte[60], null)
                .idb(253, null).epb(1, 1_000_000L, cooked(824, 0, PAYLOAD_A), null)
                .epb(1, 2_000_000L, cooked(824, 0, PAYLOAD_B), null).toBytes();
        byte[] eth = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(1, null).epb(0, 0, new byte[60], null).toBytes();
        byte[] nl = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, null).epb(0, 1_000_000L, cooked(824, 0, PAYLOAD_A), null)
                .epb(0, 2_000_000L, cooked(824, 0, PAYLOAD_B), null).toBytes();
        byte[] joined = new byte[eth.length + nl.length];
        System.arraycopy(eth, 0, joined, 0, eth.length);
        System.arraycopy(nl, 0, joined, eth.length, nl.length);
        for (byte[] file : List.of(late, joined)) {
            try (CaptureFileSource src = CaptureFileSource.open(write("late.pcapng", file))) {
                Frame a = src.next();
                Frame b = src.next();
                assertNull(src.next());
                assertFrame(a, 2, 1_000_000_000L, 0, ByteOrder.LITTLE_ENDIAN, PAYLOAD_A);
                assertFrame(b, 3, 2_000_000_000L, 0, ByteOrder.LITTLE_ENDIAN, PAYLOAD_B);
                assertEquals(1, src.foreignPackets());
            }
        }
    }

    /** Millions of interface blocks would be kept in memory: one section holds at most 65,536. */
    @Test
    void aSectionOfTooManyInterfacesIsRefused() throws IOException {
        Writer w = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i <= 65_536; i++) {
            w.idb(253, null);
        }
        Path path = write("idbs.pcapng", w.toBytes());
        CaptureException e = assertThrows(CaptureException.class, () -> readAll(path));
        assertTrue(e.getMessage().contains("more than 65536 interfaces in one section"),
                e.getMessage());
    }

    @Test
    void aPacketCutByTheCaptureSaysSoInPcapng() throws IOException {
        Writer w = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN).idb(253, null)
                .epb(0, 0, cooked(824, 0, PAYLOAD_A), 4000, null)
                .epb(0, 0, cooked(824, 0, PAYLOAD_B), null);
        try (CaptureFileSource source = CaptureFileSource.open(write("cut.pcapng", w.toBytes()))) {
            Frame cut = source.next();
            assertEquals("frame-truncated-by-capture", cut.problem().code());
            assertTrue(cut.problem().detail().contains("of 4000 bytes captured"), cut.problem().detail());
            assertNull(source.next().problem());
        }
        // A simple packet block says only the original length: it holds less when cut.
        byte[] frame = cooked(824, 0, PAYLOAD_A);
        Writer spb = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN).idb(253, null)
                .block(3, b -> b.u32(100_000).bytes(frame).pad4()).spb(frame);
        try (CaptureFileSource source = CaptureFileSource.open(write("cut-spb.pcapng", spb.toBytes()))) {
            Frame cut = source.next();
            assertEquals("frame-truncated-by-capture", cut.problem().code());
            assertTrue(cut.problem().detail().contains("of 100000 bytes captured"), cut.problem().detail());
            assertNull(source.next().problem());
        }
    }

    @Test
    void packetsOfNonNetlinkInterfacesAreSkippedCountedAndReadingGoesOn() throws IOException {
        // dumpcap -i nlmon0 -i ens3 -i any: Ethernet and cooked packets between the netlink ones.
        Writer w = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, null).idb(1, null).idb(113, null)
                .epb(0, 0, cooked(824, 0, PAYLOAD_A), null)
                .epb(1, 0, new byte[60], null)
                .epb(2, 0, new byte[40], "nsid=4")
                .epb(1, 0, new byte[60], null)
                .epb(0, 0, cooked(824, 0, PAYLOAD_B), "nsid=3");
        try (CaptureFileSource source = CaptureFileSource.open(write("if.pcapng", w.toBytes()))) {
            assertEquals(0, source.foreignPackets());
            assertEquals("", source.foreignLinkTypes());
            Frame first = source.next();
            assertFrame(first, 1, 0, 0, ByteOrder.LITTLE_ENDIAN, PAYLOAD_A);
            Frame second = source.next();
            assertEquals(5, second.number()); // Wireshark's frame number
            assertArrayEquals(PAYLOAD_B, second.data());
            assertEquals(3, second.nsid());
            assertNull(source.next());
            assertEquals(3, source.foreignPackets());
            assertEquals("link types 1 ETHERNET, 113 LINUX_SLL", source.foreignLinkTypes());
        }
        // A simple packet block on a non-netlink interface 0 (beside a netlink interface 1).
        Writer spb = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(1, null).idb(253, null).spb(new byte[60])
                .epb(1, 0, cooked(824, 0, PAYLOAD_A), null);
        try (CaptureFileSource source = CaptureFileSource.open(write("spb.pcapng", spb.toBytes()))) {
            assertEquals(2, source.next().number());
            assertNull(source.next());
            assertEquals(1, source.foreignPackets());
            assertEquals("link type 1 ETHERNET", source.foreignLinkTypes());
        }
    }

    @Test
    void packetOnAnUndeclaredInterfaceEndsTheStream() throws IOException {
        byte[] file = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, null).idb(253, null)
                .shb(ByteOrder.BIG_ENDIAN).idb(253, null) // interfaces start over
                .epb(1, 0, cooked(824, 0, PAYLOAD_A), null).toBytes();
        try (CaptureFileSource source = CaptureFileSource.open(write("undecl.pcapng", file))) {
            CaptureException e = assertThrows(CaptureException.class, source::next);
            assertTrue(e.getMessage().contains(": frame 1 at offset ")
                    && e.getMessage().endsWith(": interface 1 is not declared in this section"
                    + " (it declares 1)"), e.getMessage());
        }
    }

    @Test
    void blockLengthZeroEndsTheStreamAfterTheCompleteFrames() throws IOException {
        Writer w = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, null).epb(0, 0, cooked(824, 0, PAYLOAD_A), null);
        int badOffset = w.size();
        w.u32(6).u32(0).bytes(new byte[32]);
        assertBlockError(w.toBytes(), 1, badOffset, "length 0 is less than 12");
    }

    @Test
    void malformedBlockLengthsAreReported() throws IOException {
        Writer base = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, null).epb(0, 0, cooked(824, 0, PAYLOAD_A), null);
        int at = base.size();
        byte[] prefix = base.toBytes();

        assertBlockError(concat(prefix, new Writer(ByteOrder.LITTLE_ENDIAN)
                .u32(5).u32(14).bytes(new byte[16]).toBytes()), 1, at,
                "length 14 is not a multiple of 4");
        assertBlockError(concat(prefix, new Writer(ByteOrder.LITTLE_ENDIAN)
                .u32(5).u32(8).bytes(new byte[16]).toBytes()), 1, at, "length 8 is less than 12");
        assertBlockError(concat(prefix, new Writer(ByteOrder.LITTLE_ENDIAN)
                .u32(5).u32(16).u32(0).u32(20).toBytes()), 1, at,
                "trailing length 20 differs from leading length 16");
        assertBlockError(concat(prefix, new Writer(ByteOrder.LITTLE_ENDIAN)
                .u32(5).u32(1000).u32(0).u32(1000).toBytes()), 1, at,
                "truncated, block of type 0x5 needs 1000 bytes, only 16 remain");
        assertBlockError(concat(prefix, new Writer(ByteOrder.LITTLE_ENDIAN)
                .block(6, b -> b.u32(0).u32(0).u32(0).u32(100).u32(100).u32(0)).toBytes()), 1,
                at, "captured length 100 runs past the block end (block length 36)");
        assertBlockError(concat(prefix, new Writer(ByteOrder.LITTLE_ENDIAN)
                .block(6, b -> b.u32(0).u32(0).u32(0).u32(0).u32(0).u16(1).u16(200)).toBytes()),
                1, at, "option 1 of length 200 at offset " + (at + 28)
                        + " runs past the block end");
    }

    @Test
    void packetBlockClaimingHugeCapturedLengthIsRejected() throws IOException {
        Writer w = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, null);
        int at = w.size();
        w.block(6, b -> b.u32(0).u32(0).u32(0).u32(0xfffffff0L).u32(0xfffffff0L).u32(0));
        try (CaptureFileSource source = CaptureFileSource.open(write("big.pcapng", w.toBytes()))) {
            CaptureException e = assertThrows(CaptureException.class, source::next);
            assertEquals("big.pcapng: frame 1 at offset " + at + ": record length 4294967280"
                    + " exceeds the limit of 268435456 bytes", e.getMessage());
        }
    }

    @Test
    void truncatedPcapngAtEveryCutPoint() throws IOException {
        Writer w = new Writer(ByteOrder.BIG_ENDIAN).shb(ByteOrder.BIG_ENDIAN);
        List<Integer> cleanCuts = new ArrayList<>(List.of(w.size()));
        w.idb(253, 9);
        cleanCuts.add(w.size());
        List<byte[]> payloads = List.of(PAYLOAD_A, PAYLOAD_B, new byte[0]);
        List<Integer> ends = new ArrayList<>();
        w.epb(0, 5, cooked(824, 0, payloads.get(0)), "nsid=3 group=1");
        ends.add(w.size());
        w.spb(cooked(824, 0, payloads.get(1)));
        ends.add(w.size());
        w.epb(0, 6, cooked(824, 0, payloads.get(2)), null);
        ends.add(w.size());
        cleanCuts.addAll(ends);
        assertEveryCut(w.toBytes(), "cut.pcapng", ends, cleanCuts, payloads);
    }

    // ---------------------------------------------------------------------------------------------
    // Cooked header problems.

    @Test
    void frameShorterThanTheCookedHeaderIsReportedAndReadingGoesOn() throws IOException {
        byte[] tiny = bytes("00040338000000000000");
        byte[] file = Writer.pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, 253)
                .record(1, 0, tiny).record(2, 0, cooked(824, 0, PAYLOAD_A)).toBytes();
        try (CaptureFileSource source = CaptureFileSource.open(write("tiny.pcap", file))) {
            Frame frame = source.next();
            assertEquals(-1, frame.protocol());
            assertArrayEquals(tiny, frame.data());
            assertEquals("frame-shorter-than-cooked-header", frame.problem().code());
            assertEquals(0, frame.problem().offset());
            assertEquals("frame 1: 10 bytes, the nlmon cooked header needs 16 [tiny.pcap, file"
                    + " offset 40]", frame.problem().detail());
            assertFrame(source.next(), 2, 2_000_000_000L, 0, ByteOrder.LITTLE_ENDIAN, PAYLOAD_A);
            assertNull(source.next());
        }
    }

    @Test
    void cookedHeaderOfAnotherArphrdTypeIsReported() throws IOException {
        byte[] file = new Writer(ByteOrder.LITTLE_ENDIAN).shb(ByteOrder.LITTLE_ENDIAN)
                .idb(253, null).epb(0, 0, cooked(1, 16, PAYLOAD_B), null).toBytes();
        Frame frame = readAll(write("arphrd.pcapng", file)).get(0);
        assertEquals(16, frame.protocol());
        assertArrayEquals(PAYLOAD_B, frame.data());
        assertEquals("cooked-header-not-netlink", frame.problem().code());
        assertEquals(0, frame.problem().offset());
        assertTrue(frame.problem().detail().startsWith(
                "frame 1: ARPHRD type 1 in the cooked header, expected 824 (ARPHRD_NETLINK) [arphrd.pcapng, file offset"),
                frame.problem().detail());
    }

    // ---------------------------------------------------------------------------------------------
    // Files that are not captures.

    @Test
    void missingEmptyAndForeignFilesAreRejectedWithOneLine() throws IOException {
        assertOpenFails(dir.resolve("nope.pcap"), dir.resolve("nope.pcap") + ": no such file");
        assertOpenFails(Path.of("/dev/null"), "/dev/null: is a pipe or a device, not a capture "
                + "file (-r reads regular files, whose size bounds every length; save the stream "
                + "to a file first)");
        assertOpenFails(write("empty.pcap", new byte[0]), "empty.pcap: empty file");
        assertOpenFails(write("gif.pcap", utf8("GIF89a, not a capture")),
                "gif.pcap: not a pcap or pcapng file (magic 0x47494638)");
        assertOpenFails(write("two.pcap", new byte[] {(byte) 0xd4, (byte) 0xc3}),
                "two.pcap: not a pcap or pcapng file (only 2 of the 4 magic bytes)");
        assertOpenFails(dir, dir + ": is a directory, not a capture file");
        // `-r ""`: not the current directory
        assertOpenFails(Path.of(""), "-r needs a file name (it was given an empty one)");
    }

    @Test
    void closeEndsTheStream() throws IOException {
        CaptureFileSource source = CaptureFileSource.open(SAMPLES.resolve("seed/seed.pcap"));
        assertNotNull(source.next());
        source.close();
        assertNull(source.next());
        source.close();
    }

    @Test
    void nsidIsTakenFromTheComment() {
        assertEquals(101, CaptureFileSource.nsidFromComment("nsid=101 group=5"));
        assertEquals(0, CaptureFileSource.nsidFromComment("nsid=0 group=24"));
        // Negative ids are none the kernel gives (-1 is NETNSA_NSID_NOT_ASSIGNED): own namespace.
        assertNull(CaptureFileSource.nsidFromComment("group=3 nsid=-1"));
        assertNull(CaptureFileSource.nsidFromComment("nsid=-5"));
        assertNull(CaptureFileSource.nsidFromComment("nsid=current group=1"));
        assertNull(CaptureFileSource.nsidFromComment("dir=to-kernel pid=27847 proto=0"));
        assertNull(CaptureFileSource.nsidFromComment("nsid=lots"));
        assertNull(CaptureFileSource.nsidFromComment(""));
    }

    @Test
    void anNsidIsAsciiDigitsOnly() {
        // The attack's comment_weird.pcapng: an Arabic-Indic three and "+5" were nsids 3 and 5.
        assertNull(CaptureFileSource.nsidFromComment("nsid=\u0663"));
        assertNull(CaptureFileSource.nsidFromComment("nsid=\uff13"));
        assertNull(CaptureFileSource.nsidFromComment("nsid=+5"));
        assertNull(CaptureFileSource.nsidFromComment("nsid=5x"));
        assertNull(CaptureFileSource.nsidFromComment("nsid=2147483648"));
        assertNull(CaptureFileSource.nsidFromComment("nsid=-"));
        assertNull(CaptureFileSource.nsidFromComment("nsid="));
        assertEquals(2147483647, CaptureFileSource.nsidFromComment("nsid=2147483647"));
        assertEquals(7, CaptureFileSource.nsidFromComment("nsid=007"));
    }

    @Test
    void hexNsidDirectiveTakesANegativeIdAsTheOwnNamespaceAsPcapngDoes() throws IOException {
        HexFixtureSource src = new HexFixtureSource("@nsid -5\n14000000100000000000000000000000\n\n"
                + "@nsid 4\n14000000100000000000000000000000\n\n"
                + "@nsid current\n14000000100000000000000000000000\n",
                "hex", 0, ByteOrder.LITTLE_ENDIAN);
        assertNull(src.next().nsid());
        assertEquals(4, src.next().nsid());
        assertNull(src.next().nsid());
        for (String bad : new String[] {"+5", "\u0663", "5x"}) {
            CaptureException e = assertThrows(
                    CaptureException.class, () -> new HexFixtureSource("@nsid " + bad + "\n00\n",
                            "hex", 0, ByteOrder.LITTLE_ENDIAN));
            assertTrue(e.getMessage().contains("is not a number"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers.

    /**
     * Cuts {@code whole} after every byte count and checks that exactly the frames ending at or
     * before the cut come back, followed by a CaptureException unless the cut is clean.
     */
    private void assertEveryCut(byte[] whole, String name, List<Integer> frameEnds,
            List<Integer> cleanCuts, List<byte[]> payloads) throws IOException {
        for (int cut = 0; cut <= whole.length; cut++) {
            Path file = write(name, Arrays.copyOf(whole, cut));
            List<Frame> frames = new ArrayList<>();
            CaptureException error = null;
            try (CaptureFileSource source = CaptureFileSource.open(file)) {
                try {
                    for (Frame f = source.next(); f != null; f = source.next()) {
                        frames.add(f);
                    }
                } catch (CaptureException e) {
                    error = e;
                    assertNull(source.next(), "after the exception, cut " + cut);
                }
            } catch (CaptureException e) {
                error = e;
            }
            int cutAt = cut;
            long complete = frameEnds.stream().filter(end -> end <= cutAt).count();
            assertEquals(complete, frames.size(), "frames before cut " + cut);
            for (int i = 0; i < frames.size(); i++) {
                assertArrayEquals(payloads.get(i), frames.get(i).data(), "cut " + cut);
                assertEquals(i + 1, frames.get(i).number());
            }
            assertEquals(!cleanCuts.contains(cut), error != null, "exception at cut " + cut);
            if (error != null) {
                String message = error.getMessage();
                assertTrue(message.startsWith(name + ": ") && !message.contains("\n"), message);
                if (cut >= 4) {
                    assertTrue(message.contains("truncated"), message);
                }
            }
        }
    }

    private void assertBlockError(byte[] file, int framesBefore, int offset, String what)
            throws IOException {
        try (CaptureFileSource source = CaptureFileSource.open(write("bad.pcapng", file))) {
            for (int i = 0; i < framesBefore; i++) {
                assertNotNull(source.next());
            }
            CaptureException e = assertThrows(CaptureException.class, source::next);
            assertEquals("bad.pcapng: block at offset " + offset + ": " + what, e.getMessage());
            assertNull(source.next());
        }
    }

    private static void assertOpenFails(Path file, String message) {
        CaptureException e = assertThrows(CaptureException.class,
                () -> CaptureFileSource.open(file));
        assertEquals(message, e.getMessage());
    }

    private static void assertFrame(Frame frame, long number, long tsNanos, int protocol,
            ByteOrder order, byte[] data) {
        assertEquals(number, frame.number(), "number");
        assertEquals(tsNanos, frame.tsNanos(), "tsNanos of frame " + number);
        assertEquals(protocol, frame.protocol(), "protocol of frame " + number);
        assertEquals(order, frame.order(), "order of frame " + number);
        assertArrayEquals(data, frame.data(), "data of frame " + number);
        assertEquals(Frame.Kind.DATA, frame.kind());
        assertNull(frame.problem(), "problem of frame " + number);
    }

    private static void assertSameBytes(Path expected, Path actual) throws IOException {
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual),
                actual.toString());
    }

    private static List<Frame> readAll(Path file) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (CaptureFileSource source = CaptureFileSource.open(file)) {
            for (Frame f = source.next(); f != null; f = source.next()) {
                frames.add(f);
            }
            assertNull(source.next(), "end stays the end");
        }
        return frames;
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** An nlmon cooked header (always big-endian) followed by {@code payload}. */
    private static byte[] cooked(int arphrd, int protocol, byte[] payload) {
        return new Writer(ByteOrder.BIG_ENDIAN).u16(4).u16(arphrd).u16(0).bytes(new byte[8])
                .u16(protocol).bytes(payload).toBytes();
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Builds pcap and pcapng files field by field in a chosen byte order. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private ByteOrder order;

        Writer(ByteOrder order) {
            this.order = order;
        }

        /** A pcap global header. */
        static Writer pcap(ByteOrder order, boolean nanos, long snaplen, int linkType) {
            return new Writer(order).u32(nanos ? 0xa1b23c4dL : 0xa1b2c3d4L).u16(2).u16(4)
                    .u32(0).u32(0).u32(snaplen).u32(linkType);
        }

        Writer record(long seconds, long fraction, byte[] frame) {
            return recordHeader(seconds, fraction, frame.length, frame.length).bytes(frame);
        }

        Writer recordHeader(long seconds, long fraction, long inclLen, long origLen) {
            return u32(seconds).u32(fraction).u32(inclLen).u32(origLen);
        }

        /** A section header block; it and everything after it use {@code sectionOrder}. */
        Writer shb(ByteOrder sectionOrder) {
            order = sectionOrder;
            return block(0x0a0d0d0a, b -> b.u32(0x1a2b3c4dL).u16(1).u16(0).u64(-1)
                    .option(4, utf8("CaptureFileSourceTest")).endOfOptions());
        }

        Writer idb(int linkType, Integer tsresol) {
            return block(1, b -> {
                b.u16(linkType).u16(0).u32(262144);
                if (tsresol != null) {
                    b.option(9, new byte[] {(byte) (int) tsresol}).endOfOptions();
                }
            });
        }

        Writer epb(int iface, long timestamp, byte[] frame, String comment) {
            return epb(iface, timestamp, frame, frame.length, comment);
        }

        /** An enhanced packet block whose original length may exceed what it captured. */
        Writer epb(int iface, long timestamp, byte[] frame, int originalLength, String comment) {
            return block(6, b -> {
                b.u32(iface).u32(timestamp >>> 32).u32(timestamp & 0xffffffffL)
                        .u32(frame.length).u32(originalLength).bytes(frame).pad4();
                if (comment != null) {
                    b.option(1, utf8(comment)).endOfOptions();
                }
            });
        }

        Writer spb(byte[] frame) {
            return block(3, b -> b.u32(frame.length).bytes(frame).pad4());
        }

        /** type, total length, body (padded to 4), total length. */
        Writer block(int type, Consumer<Writer> body) {
            Writer inner = new Writer(order);
            body.accept(inner);
            inner.pad4();
            int total = 12 + inner.size();
            return u32(type).u32(total).bytes(inner.toBytes()).u32(total);
        }

        Writer option(int code, byte[] value) {
            return u16(code).u16(value.length).bytes(value).pad4();
        }

        Writer endOfOptions() {
            return u32(0);
        }

        Writer u16(int value) {
            return put(ByteBuffer.allocate(2).order(order).putShort((short) value));
        }

        Writer u32(long value) {
            return put(ByteBuffer.allocate(4).order(order).putInt((int) value));
        }

        Writer u64(long value) {
            return put(ByteBuffer.allocate(8).order(order).putLong(value));
        }

        Writer bytes(byte[] value) {
            out.writeBytes(value);
            return this;
        }

        Writer pad4() {
            return bytes(new byte[(4 - size() % 4) % 4]);
        }

        int size() {
            return out.size();
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        private Writer put(ByteBuffer buffer) {
            return bytes(buffer.array());
        }
    }
}
