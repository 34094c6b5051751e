package org.nlsniff.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.nlsniff.frame.Frame;
import org.nlsniff.source.CaptureFileSource;

/**
 * The benchmark's input: the real NETLINK_ROUTE datagrams of the bundled sample captures, and the
 * files made by repeating them (an nlmon pcap for nlsniff and tshark, the same messages back to
 * back for {@code ip monitor file}).
 *
 * <p>Only datagrams that every tool reads the same way are kept: protocol 0 (route), the capture's
 * byte order little-endian (the pcap written here is), no framing problem, and a clean message
 * walk (every {@code nlmsg_len} at least 16, at most 16384, which is iproute2's buffer in
 * {@code rtnl_from_file}, and the last message ending the datagram). {@code samples/malformed}
 * is skipped: those are hand-built attacks, not traffic.
 */
final class Corpus {
    /** iproute2's {@code rtnl_from_file} reads each message into a 16 KiB buffer. */
    static final int IP_MAX_MESSAGE = 16384;
    static final int LINKTYPE_NETLINK = 253;
    static final int SNAPLEN = 262144;
    /** First timestamp of the generated capture: 2023-11-14T22:13:20Z. */
    static final long BASE_SECONDS = 1_700_000_000L;

    /** One datagram and the byte ranges of its messages. */
    record Datagram(String origin, byte[] data, int[] offsets, int[] lengths) {
        int messages() {
            return offsets.length;
        }
    }

    /** What {@link #write} produced. */
    record Generated(Path pcap, Path ipFile, long frames, long messages, long pcapBytes,
            long ipBytes) {}

    private final List<Datagram> datagrams;
    private final List<String> files;
    private final int skipped;

    private Corpus(List<Datagram> datagrams, List<String> files, int skipped) {
        this.datagrams = datagrams;
        this.files = files;
        this.skipped = skipped;
    }

    List<Datagram> datagrams() {
        return datagrams;
    }

    /** The capture files read, relative to the samples directory. */
    List<String> files() {
        return files;
    }

    /** Datagrams left out (other protocols, framing problems, unclean message walks). */
    int skipped() {
        return skipped;
    }

    long uniqueMessages() {
        long n = 0;
        for (Datagram d : datagrams) {
            n += d.messages();
        }
        return n;
    }

    /** Reads {@code samplesDir/* /*.pcap} (sorted, {@code malformed/} excluded). */
    static Corpus load(Path samplesDir) throws IOException {
        List<Path> pcaps = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(samplesDir)) {
            for (Path dir : dirs.sorted().toList()) {
                if (!Files.isDirectory(dir) || dir.getFileName().toString().equals("malformed")) {
                    continue;
                }
                try (Stream<Path> inDir = Files.list(dir)) {
                    inDir.filter(p -> p.getFileName().toString().endsWith(".pcap"))
                            .sorted().forEach(pcaps::add);
                }
            }
        }
        List<Datagram> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int skipped = 0;
        for (Path p : pcaps) {
            names.add(samplesDir.relativize(p).toString());
            try (CaptureFileSource src = CaptureFileSource.open(p)) {
                Frame f;
                while ((f = src.next()) != null) {
                    Datagram d = f.protocol() == 0 && f.problem() == null
                            && f.kind() == Frame.Kind.DATA && f.order() == ByteOrder.LITTLE_ENDIAN
                            ? walk(p.getFileName() + "#" + f.number(), f.data()) : null;
                    if (d == null) {
                        skipped++;
                    } else {
                        out.add(d);
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(samplesDir + ": no usable NETLINK_ROUTE datagrams in "
                    + (pcaps.isEmpty() ? "any */*.pcap" : names));
        }
        return new Corpus(List.copyOf(out), List.copyOf(names), skipped);
    }

    /** The datagram's messages, or null unless they tile it cleanly. */
    static Datagram walk(String origin, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> msgs = new ArrayList<>();
        int off = 0;
        while (off < data.length) {
            if (data.length - off < 16) {
                return null;
            }
            long len = b.getInt(off) & 0xffffffffL;
            if (len < 16 || len > IP_MAX_MESSAGE || len > data.length - off) {
                return null;
            }
            msgs.add(new int[] {off, (int) len});
            off += align4((int) len);
        }
        if (msgs.isEmpty()) {
            return null;
        }
        int[] offsets = new int[msgs.size()];
        int[] lengths = new int[msgs.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = msgs.get(i)[0];
            lengths[i] = msgs.get(i)[1];
        }
        return new Datagram(origin, data, offsets, lengths);
    }

    /**
     * The datagrams to replay, cycling through the corpus until at least {@code messages}
     * messages are covered (whole datagrams, so a few more at most).
     */
    List<Datagram> sequence(long messages) {
        List<Datagram> seq = new ArrayList<>();
        long n = 0;
        int i = 0;
        while (n < messages) {
            Datagram d = datagrams.get(i);
            seq.add(d);
            n += d.messages();
            i = (i + 1) % datagrams.size();
        }
        return seq;
    }

    /** The frames of {@code seq} as the capture reader would return them (for in-memory runs). */
    static List<Frame> frames(List<Datagram> seq, String source) {
        List<Frame> frames = new ArrayList<>(seq.size());
        long n = 0;
        for (Datagram d : seq) {
            long micros = BASE_SECONDS * 1_000_000L + n;
            n++;
            frames.add(Frame.data(micros * 1000L, source, n, 0, null, ByteOrder.LITTLE_ENDIAN,
                    d.data()));
        }
        return frames;
    }

    /**
     * Writes {@code seq} as a classic little-endian microsecond pcap of link type 253 (nlmon
     * cooked header, protocol 0, one microsecond apart) and, into {@code ipFile}, the same
     * messages back to back, each padded to 4 bytes, as {@code ip monitor file} reads them.
     */
    static Generated write(List<Datagram> seq, Path pcap, Path ipFile) throws IOException {
        long frames = 0;
        long messages = 0;
        try (OutputStream p = new BufferedOutputStream(Files.newOutputStream(pcap), 1 << 20);
                OutputStream ip = new BufferedOutputStream(Files.newOutputStream(ipFile), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(SNAPLEN).putInt(LINKTYPE_NETLINK);
            p.write(h.array());
            ByteBuffer rec = ByteBuffer.allocate(32);
            byte[] zeros = new byte[4];
            for (Datagram d : seq) {
                long micros = frames;
                int caplen = 16 + d.data().length;
                rec.clear();
                rec.order(ByteOrder.LITTLE_ENDIAN);
                rec.putInt((int) (BASE_SECONDS + micros / 1_000_000L))
                        .putInt((int) (micros % 1_000_000L)).putInt(caplen).putInt(caplen);
                // The cooked header is big-endian whatever the file's order.
                rec.order(ByteOrder.BIG_ENDIAN);
                rec.putShort((short) 4).putShort((short) 824).putShort((short) 0).putLong(0L)
                        .putShort((short) 0);
                p.write(rec.array(), 0, 32);
                p.write(d.data());
                for (int i = 0; i < d.messages(); i++) {
                    int len = d.lengths()[i];
                    ip.write(d.data(), d.offsets()[i], len);
                    int pad = align4(len) - len;
                    if (pad > 0) {
                        ip.write(zeros, 0, pad);
                    }
                }
                frames++;
                messages += d.messages();
            }
        }
        return new Generated(pcap, ipFile, frames, messages, Files.size(pcap), Files.size(ipFile));
    }

    /** How many leading frames of {@code seq} cover at least {@code messages} messages. */
    static long[] prefix(List<Datagram> seq, long messages) {
        long frames = 0;
        long n = 0;
        for (Datagram d : seq) {
            if (n >= messages) {
                break;
            }
            frames++;
            n += d.messages();
        }
        return new long[] {frames, n};
    }

    static int align4(int n) {
        return (n + 3) & ~3;
    }
}
