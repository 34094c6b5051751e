package org.nlsniff.record;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nlsniff.frame.Frame;

/**
 * Writes frames as an nlmon-compatible capture that tshark, Wireshark and {@code nlsniff -r}
 * read: link type 253 (LINKTYPE_NETLINK), each record a 16-byte big-endian cooked header
 * (packet type 4 "outgoing" as nlmon marks every frame, ARPHRD_NETLINK 824, address length 0,
 * 8 zero bytes, netlink protocol) followed by the datagram in host byte order.
 *
 * <p>Classic pcap with nanosecond timestamps, or pcapng (one section, one interface,
 * if_tsresol 9) whose enhanced packet blocks carry the source namespace as a comment
 * ({@code nsid=N} or {@code nsid=current}, the format of the shared captures) and as a custom
 * option of our own (code 2989, PEN 32473, text {@code nsid=N}). Every record is complete when
 * {@link #flush()} returns, so a capture cut after a flush is valid. Not thread-safe: one writer
 * thread (see {@link Recorder}).
 */
public final class CaptureWriter implements AutoCloseable {
    static final int LINKTYPE_NETLINK = 253;
    static final int SNAPLEN = 262_144;
    /** RFC 5612's documentation Private Enterprise Number, for our custom pcapng option. */
    static final int PEN = 32473;
    private static final int OPT_CUSTOM_STRING = 2989;

    private final OutputStream out;
    private final boolean pcapng;
    private long records;

    private CaptureWriter(OutputStream out, boolean pcapng) {
        this.out = out;
        this.pcapng = pcapng;
    }

    /** Creates (or truncates) {@code file}; pcapng when {@code pcapng}, else classic pcap. */
    public static CaptureWriter create(Path file, boolean pcapng) throws IOException {
        CaptureWriter w = new CaptureWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), pcapng);
        w.header();
        return w;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void header() throws IOException {
        if (!pcapng) {
            ByteBuffer h = le(24);
            h.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(SNAPLEN).putInt(LINKTYPE_NETLINK);
            out.write(h.array());
            return;
        }
        ByteBuffer shb = le(28);
        shb.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0)
                .putLong(-1L).putInt(28);
        out.write(shb.array());
        // IDB with if_tsresol = 9 (nanoseconds) and opt_endofopt.
        ByteBuffer idb = le(32);
        idb.putInt(1).putInt(32).putShort((short) LINKTYPE_NETLINK).putShort((short) 0).putInt(SNAPLEN)
                .putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3])
                .putInt(0).putInt(32);
        out.write(idb.array());
    }

    /** Appends one frame (overrun markers have no datagram and are skipped). */
    public void write(Frame f) throws IOException {
        if (f.kind() != Frame.Kind.DATA || f.protocol() < 0) {
            return;
        }
        byte[] cooked = cooked(f.protocol());
        int len = cooked.length + f.data().length;
        if (!pcapng) {
            ByteBuffer r = le(16);
            r.putInt((int) Math.floorDiv(f.tsNanos(), 1_000_000_000L))
                    .putInt((int) Math.floorMod(f.tsNanos(), 1_000_000_000L)).putInt(len).putInt(len);
            out.write(r.array());
            out.write(cooked);
            out.write(f.data());
        } else {
            String nsid = "nsid=" + (f.nsid() == null ? "current" : f.nsid().toString());
            byte[] comment = nsid.getBytes(StandardCharsets.US_ASCII);
            byte[] custom = comment;
            int padded = (len + 3) & ~3;
            int optLen = 4 + pad4(comment.length) + 4 + pad4(4 + custom.length) + 4;
            int total = 28 + padded + optLen + 4;
            ByteBuffer b = le(total);
            long ts = f.tsNanos();
            b.putInt(6).putInt(total).putInt(0).putInt((int) (ts >>> 32)).putInt((int) ts)
                    .putInt(len).putInt(len).put(cooked).put(f.data());
            b.position(28 + padded);
            b.putShort((short) 1).putShort((short) comment.length).put(comment);
            b.position(b.position() + pad4(comment.length) - comment.length);
            b.putShort((short) OPT_CUSTOM_STRING).putShort((short) (4 + custom.length)).putInt(PEN).put(custom);
            b.position(b.position() + pad4(4 + custom.length) - 4 - custom.length);
            b.putInt(0); // opt_endofopt
            b.putInt(total);
            out.write(b.array());
        }
        records++;
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private static byte[] cooked(int protocol) {
        ByteBuffer c = ByteBuffer.allocate(16); // big-endian, as libpcap's cooked netlink header
        c.putShort((short) 4).putShort((short) 824).putShort((short) 0).put(new byte[8])
                .putShort((short) protocol);
        return c.array();
    }

    public void flush() throws IOException {
        out.flush();
    }

    public long records() {
        return records;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
