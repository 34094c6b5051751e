package org.nlsniff.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded, structure-aware mutations of netlink datagrams and of whole capture files. Every
 * mutation records the lowest byte offset it changed ({@link Case#minChanged}), so that a test
 * can check that whatever came before the damage decodes exactly as before.
 */
final class Mutator {
    /** Datagrams are kept at most this long (a netlink datagram is at most 64 KiB in practice). */
    static final int MAX_DATAGRAM = 1 << 16;
    /** Mutated capture files are kept at most this long. */
    static final int MAX_FILE = 1 << 20;

    private static final int[] LEN16 = {0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 0x7fff, 0x8000, 0xfffc,
        0xffff};
    private static final long[] LEN32 = {0, 1, 3, 4, 8, 11, 12, 13, 15, 16, 17, 20, 0xffff,
        0x10000, 0x7fffffffL, 0x80000000L, 0xfffffff0L, 0xfffffffcL, 0xffffffffL};
    /** nlmsg types worth landing on: control, every rtnetlink family the specs know, junk. */
    private static final int[] TYPES = {1, 2, 3, 4, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 28,
        29, 30, 32, 33, 34, 80, 81, 82, 88, 89, 90, 104, 105, 106, 0xffff};
    /** Attribute types that are nests somewhere (linkinfo, af-spec, prop-list, multipath, ...). */
    private static final int[] NEST_TYPES = {1, 2, 4, 5, 8, 9, 12, 18, 22, 24, 25, 26, 43, 52, 55};

    private final Random r;
    private final List<byte[]> pool;

    Mutator(Random r, List<byte[]> pool) {
        this.r = r;
        this.pool = pool;
    }

    /** A datagram under mutation, with the frame fields a mutation may change. */
    static final class Case {
        byte[] data;
        ByteOrder order;
        int protocol;
        Integer nsid;
        int minChanged = Integer.MAX_VALUE;
        final List<String> ops = new ArrayList<>();

        void changed(int pos) {
            minChanged = Math.min(minChanged, Math.max(0, pos));
        }
    }

    /** An attribute header found by walking: where it is and its length. */
    private record Hdr(int pos, int len) {}

    // ----------------------------------------------------------------------------- datagrams

    Case mutateDatagram(byte[] original, ByteOrder order, int protocol, Integer nsid) {
        Case c = new Case();
        c.data = original.clone();
        c.order = order;
        c.protocol = protocol;
        c.nsid = nsid;
        int n = 1 + r.nextInt(r.nextInt(8) == 0 ? 8 : 3);
        for (int i = 0; i < n; i++) {
            mutateOnce(c);
            if (c.data.length > MAX_DATAGRAM) {
                c.data = Arrays.copyOf(c.data, MAX_DATAGRAM);
                c.ops.add("cap");
            }
        }
        return c;
    }

    private void mutateOnce(Case c) {
        byte[] d = c.data;
        ByteBuffer b = ByteBuffer.wrap(d).order(c.order);
        switch (r.nextInt(24)) {
            case 0, 1 -> { // bit flip
                if (d.length == 0) {
                    return;
                }
                int p = r.nextInt(d.length);
                d[p] ^= (byte) (1 << r.nextInt(8));
                c.changed(p);
                c.ops.add("flip@" + p);
            }
            case 2 -> { // interesting byte
                if (d.length == 0) {
                    return;
                }
                int p = r.nextInt(d.length);
                d[p] = (byte) new int[] {0, 1, 0x7f, 0x80, 0xff, r.nextInt(256)}[r.nextInt(6)];
                c.changed(p);
                c.ops.add("byte@" + p);
            }
            case 3, 4, 5 -> { // attribute length field
                List<Hdr> hs = attrHeaders(d, c.order);
                if (hs.isEmpty()) {
                    return;
                }
                Hdr h = hs.get(r.nextInt(hs.size()));
                int v = switch (r.nextInt(4)) {
                    case 0 -> h.len + r.nextInt(9) - 4;
                    case 1 -> r.nextInt(0x10000);
                    default -> LEN16[r.nextInt(LEN16.length)];
                };
                b.putShort(h.pos, (short) v);
                c.changed(h.pos);
                c.ops.add("alen@" + h.pos + "=" + (v & 0xffff));
            }
            case 6, 7 -> { // nlmsg_len
                List<Integer> ms = messageOffsets(d, c.order);
                if (ms.isEmpty()) {
                    return;
                }
                int mo = ms.get(r.nextInt(ms.size()));
                long v = r.nextBoolean() ? LEN32[r.nextInt(LEN32.length)]
                        : (b.getInt(mo) & 0xffffffffL) + r.nextInt(17) - 8;
                b.putInt(mo, (int) v);
                c.changed(mo);
                c.ops.add("nlmsg_len@" + mo + "=" + (v & 0xffffffffL));
            }
            case 8 -> { // truncate
                int p = d.length == 0 ? 0 : r.nextInt(d.length);
                c.data = Arrays.copyOf(d, p);
                c.changed(p);
                c.ops.add("cut@" + p);
            }
            case 9, 10 -> duplicateAttribute(c);
            case 11, 12 -> nestBomb(c);
            case 13 -> { // attribute type
                List<Hdr> hs = attrHeaders(d, c.order);
                if (hs.isEmpty()) {
                    return;
                }
                Hdr h = hs.get(r.nextInt(hs.size()));
                int t = r.nextBoolean() ? NEST_TYPES[r.nextInt(NEST_TYPES.length)] : r.nextInt(70);
                t |= r.nextInt(4) == 0 ? 0x8000 : 0;
                t |= r.nextInt(8) == 0 ? 0x4000 : 0;
                b.putShort(h.pos + 2, (short) t);
                c.changed(h.pos + 2);
                c.ops.add("atype@" + h.pos + "=" + t);
            }
            case 14 -> { // message type and flags
                List<Integer> ms = messageOffsets(d, c.order);
                if (ms.isEmpty()) {
                    return;
                }
                int mo = ms.get(r.nextInt(ms.size()));
                int t = TYPES[r.nextInt(TYPES.length)];
                b.putShort(mo + 4, (short) t);
                if (r.nextBoolean()) {
                    int f = new int[] {0, 1, 2, 0x100, 0x200, 0x300, 0x301, 0x305, 0xffff,
                        r.nextInt(0x10000)}[r.nextInt(10)];
                    b.putShort(mo + 6, (short) f);
                }
                c.changed(mo + 4);
                c.ops.add("mtype@" + mo + "=" + t);
            }
            case 15 -> { // splice: another datagram's messages appended or prepended
                byte[] other = pool.get(r.nextInt(pool.size()));
                if (r.nextBoolean()) {
                    c.data = FuzzSupport.cat(d, other);
                    c.changed(d.length);
                    c.ops.add("append-datagram");
                } else {
                    int p = d.length == 0 ? 0 : r.nextInt(d.length);
                    int q = p + r.nextInt(Math.max(1, Math.min(other.length, 512)));
                    c.data = FuzzSupport.cat(Arrays.copyOf(d, p),
                            Arrays.copyOfRange(other, 0, Math.min(q - p, other.length)),
                            Arrays.copyOfRange(d, p, d.length));
                    c.changed(p);
                    c.ops.add("insert-other@" + p);
                }
            }
            case 16 -> { // random bytes inserted or overwritten
                int p = d.length == 0 ? 0 : r.nextInt(d.length + 1);
                byte[] junk = new byte[1 + r.nextInt(64)];
                r.nextBytes(junk);
                if (r.nextBoolean()) {
                    c.data = FuzzSupport.cat(Arrays.copyOf(d, p), junk,
                            Arrays.copyOfRange(d, p, d.length));
                } else {
                    c.data = FuzzSupport.cat(Arrays.copyOf(d, p), junk,
                            Arrays.copyOfRange(d, Math.min(d.length, p + junk.length), d.length));
                }
                c.changed(p);
                c.ops.add("junk@" + p);
            }
            case 17 -> { // delete a range
                if (d.length == 0) {
                    return;
                }
                int p = r.nextInt(d.length);
                int q = Math.min(d.length, p + 1 + r.nextInt(32));
                c.data = FuzzSupport.cat(Arrays.copyOf(d, p), Arrays.copyOfRange(d, q, d.length));
                c.changed(p);
                c.ops.add("delete@" + p + ".." + q);
            }
            case 18 -> { // the other byte order: a big-endian host's capture
                c.order = c.order == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN
                        : ByteOrder.LITTLE_ENDIAN;
                c.changed(0);
                c.ops.add("swap-order");
            }
            case 19 -> { // protocol / nsid
                c.protocol = new int[] {0, 0, 16, 4, 9, 12, 31, 0xffff}[r.nextInt(8)];
                c.nsid = r.nextBoolean() ? null : r.nextInt(5) - 1;
                c.changed(0);
                c.ops.add("protocol=" + c.protocol);
            }
            case 20 -> { // a fake attribute header at an aligned spot
                if (d.length < 4) {
                    return;
                }
                int p = r.nextInt(d.length / 4) * 4;
                if (p + 4 > d.length) {
                    return;
                }
                b.putShort(p, (short) LEN16[r.nextInt(LEN16.length)]);
                b.putShort(p + 2, (short) NEST_TYPES[r.nextInt(NEST_TYPES.length)]);
                c.changed(p);
                c.ops.add("fake-hdr@" + p);
            }
            case 21 -> { // a control or odd byte inside an attribute payload (names, messages)
                List<Hdr> hs = attrHeaders(d, c.order);
                if (hs.isEmpty()) {
                    return;
                }
                Hdr h = hs.get(r.nextInt(hs.size()));
                if (h.len <= 4 || h.pos + h.len > d.length) {
                    return;
                }
                int p = h.pos + 4 + r.nextInt(h.len - 4);
                d[p] = (byte) new int[] {'\n', '\r', 0x1b, 0, 0x7f, 0x85, 0xc2, 0xe2, 0xff}[r.nextInt(9)];
                c.changed(p);
                c.ops.add("ctl@" + p);
            }
            default -> graft(c);
        }
    }

    /** Copies an attribute (possibly from another datagram) next to one of this datagram's. */
    private void duplicateAttribute(Case c) {
        List<Hdr> hs = attrHeaders(c.data, c.order);
        if (hs.isEmpty()) {
            return;
        }
        Hdr h = hs.get(r.nextInt(hs.size()));
        int end = Math.min(c.data.length, h.pos + align4(h.len));
        byte[] copy = Arrays.copyOfRange(c.data, h.pos, end);
        int times = r.nextInt(4) == 0 ? 1 + r.nextInt(200) : 1;
        byte[] many = new byte[copy.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(copy, 0, many, i * copy.length, copy.length);
        }
        insert(c, end, many, r.nextInt(4) != 0);
        c.ops.add("dup@" + h.pos + "x" + times);
    }

    /** Inserts an attribute of another datagram at an attribute boundary of this one. */
    private void graft(Case c) {
        byte[] other = pool.get(r.nextInt(pool.size()));
        List<Hdr> theirs = attrHeaders(other, c.order);
        List<Hdr> ours = attrHeaders(c.data, c.order);
        if (theirs.isEmpty() || ours.isEmpty()) {
            return;
        }
        Hdr t = theirs.get(r.nextInt(theirs.size()));
        Hdr o = ours.get(r.nextInt(ours.size()));
        byte[] piece = Arrays.copyOfRange(other, t.pos, Math.min(other.length, t.pos + align4(t.len)));
        int at = r.nextBoolean() ? o.pos : Math.min(c.data.length, o.pos + 4);
        insert(c, at, piece, r.nextInt(4) != 0);
        c.ops.add("graft@" + at);
    }

    /**
     * Wraps an attribute in copies of its own header (a nest that contains itself, like a veth
     * peer inside a veth peer), optionally with an 8-byte struct after each header (as
     * rtnexthop entries of RTA_MULTIPATH have), tens or hundreds of levels deep.
     */
    private void nestBomb(Case c) {
        List<Hdr> hs = attrHeaders(c.data, c.order);
        if (hs.isEmpty()) {
            return;
        }
        Hdr h = hs.get(r.nextInt(hs.size()));
        ByteBuffer b = ByteBuffer.wrap(c.data).order(c.order);
        int type = b.getShort(h.pos + 2) & 0xffff;
        if (r.nextInt(3) == 0) {
            type = NEST_TYPES[r.nextInt(NEST_TYPES.length)];
        }
        int innerLen = Math.min(c.data.length, h.pos + align4(h.len)) - h.pos;
        int levels = r.nextInt(5) == 0 ? 1 + r.nextInt(800) : 1 + r.nextInt(48);
        boolean struct8 = r.nextInt(3) == 0;
        int step = struct8 ? 12 : 4;
        levels = Math.max(0, Math.min(levels, (0xffff - innerLen) / step));
        if (levels == 0) {
            return;
        }
        // Outermost header first; each wrapper's length covers everything inside it.
        ByteBuffer w = ByteBuffer.allocate(levels * step).order(c.order);
        for (int i = 0; i < levels; i++) {
            int len = innerLen + (levels - i) * step;
            w.putShort((short) len).putShort((short) type);
            if (struct8) {
                w.putShort((short) (len - 4)).put((byte) 0).put((byte) 0).putInt(1);
            }
        }
        insert(c, h.pos, w.array(), true);
        c.ops.add("bomb@" + h.pos + "type" + type + "x" + levels + (struct8 ? "+8" : ""));
    }

    /** Inserts bytes; with {@code fix}, lengths of the enclosing messages and attributes grow. */
    private void insert(Case c, int at, byte[] bytes, boolean fix) {
        at = Math.max(0, Math.min(at, c.data.length));
        byte[] before = c.data;
        c.data = FuzzSupport.cat(Arrays.copyOf(before, at), bytes,
                Arrays.copyOfRange(before, at, before.length));
        c.changed(at);
        if (fix) {
            fixEnclosing(c, at, bytes.length, at);
        }
    }

    /**
     * Adds {@code delta} to the length of every message and attribute (found by walking the
     * bytes before the change) whose span contains {@code at}. Lengths that would not fit are
     * left alone, which is one more way to get damage.
     */
    private void fixEnclosing(Case c, int at, int delta, int walkLimit) {
        // Walk the bytes as they were: the inserted run sits at [at, at + delta).
        byte[] old = FuzzSupport.cat(Arrays.copyOf(c.data, at),
                Arrays.copyOfRange(c.data, at + delta, c.data.length));
        ByteBuffer b = ByteBuffer.wrap(c.data).order(c.order);
        ByteBuffer ob = ByteBuffer.wrap(old).order(c.order);
        for (int mo : messageOffsets(old, c.order)) {
            if (mo >= walkLimit) {
                break;
            }
            long len = ob.getInt(mo) & 0xffffffffL;
            if (mo < at && at <= mo + len) {
                b.putInt(mo, (int) (len + delta));
                c.changed(mo);
            }
        }
        for (Hdr h : attrHeaders(old, c.order)) {
            if (h.pos < at && at < h.pos + h.len) {
                int v = h.len + delta;
                if (v >= 4 && v <= 0xffff) {
                    b.putShort(h.pos, (short) v);
                    c.changed(h.pos);
                }
            }
        }
    }

    /** Offsets of the messages a decoder would see (stops at the first bad length). */
    static List<Integer> messageOffsets(byte[] d, ByteOrder order) {
        List<Integer> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(d).order(order);
        int off = 0;
        while (d.length - off >= 16) {
            long len = b.getInt(off) & 0xffffffffL;
            out.add(off);
            if (len < 16 || len > d.length - off) {
                break;
            }
            off += align4((int) len);
        }
        return out;
    }

    /**
     * Plausible attribute headers: every 4-aligned position after a message header whose 16-bit
     * length fits what is left of the message (as MalformedInputTest finds them; includes some
     * false positives inside payloads, which is fine for fuzzing).
     */
    private static List<Hdr> attrHeaders(byte[] d, ByteOrder order) {
        List<Hdr> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(d).order(order);
        for (int mo : messageOffsets(d, order)) {
            long len = b.getInt(mo) & 0xffffffffL;
            long mend = Math.min(d.length, mo + Math.max(16, len));
            for (int p = mo + 16; p + 4 <= mend; p += 4) {
                int alen = b.getShort(p) & 0xffff;
                if (alen >= 4 && p + alen <= mend) {
                    out.add(new Hdr(p, alen));
                }
            }
        }
        return out;
    }

    static int align4(int n) {
        return (n + 3) & ~3;
    }

    // ----------------------------------------------------------------------------- files

    /** A capture file under mutation. */
    static final class FileCase {
        byte[] data;
        int minChanged = Integer.MAX_VALUE;
        final List<String> ops = new ArrayList<>();

        void changed(long pos) {
            minChanged = (int) Math.min(minChanged, Math.max(0, pos));
        }
    }

    /** Record (pcap) or block (pcapng) boundaries of a well-formed capture: start offsets. */
    static List<int[]> records(byte[] file) {
        List<int[]> out = new ArrayList<>(); // {start, length}
        if (file.length < 24) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        int magic = b.getInt(0);
        if (magic == 0x0a0d0d0a) {
            ByteOrder o = b.getInt(8) == 0x1a2b3c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            int off = 0;
            while (file.length - off >= 12) {
                if (b.getInt(off) == 0x0a0d0d0a) {
                    o = b.getInt(off + 8) == 0x1a2b3c4d ? ByteOrder.BIG_ENDIAN
                            : ByteOrder.LITTLE_ENDIAN;
                }
                b.order(o);
                long len = b.getInt(off + 4) & 0xffffffffL;
                if (len < 12 || off + len > file.length) {
                    break;
                }
                out.add(new int[] {off, (int) len, b.getInt(off)});
                b.order(ByteOrder.BIG_ENDIAN);
                off += (int) len;
            }
        } else {
            ByteOrder o = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN
                    : ByteOrder.LITTLE_ENDIAN;
            b.order(o);
            int off = 24;
            while (file.length - off >= 16) {
                long len = b.getInt(off + 8) & 0xffffffffL;
                if (off + 16 + len > file.length) {
                    break;
                }
                out.add(new int[] {off, 16 + (int) len, -1});
                off += 16 + (int) len;
            }
        }
        return out;
    }

    FileCase mutateFile(byte[] original) {
        FileCase c = new FileCase();
        c.data = original.clone();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            mutateFileOnce(c);
            if (c.data.length > MAX_FILE) {
                c.data = Arrays.copyOf(c.data, MAX_FILE);
            }
        }
        return c;
    }

    private void mutateFileOnce(FileCase c) {
        byte[] d = c.data;
        List<int[]> recs = records(d);
        switch (r.nextInt(12)) {
            case 0, 1 -> { // a record's length fields (pcap: incl/orig len; pcapng: block length)
                if (recs.isEmpty()) {
                    return;
                }
                int[] rec = recs.get(r.nextInt(recs.size()));
                boolean pcapng = rec[2] != -1;
                int field = pcapng ? (r.nextInt(3) == 0 ? rec[0] + rec[1] - 4 : rec[0] + 4)
                        : rec[0] + 8 + (r.nextInt(3) == 0 ? 4 : 0);
                if (pcapng && r.nextInt(4) == 0 && rec[1] >= 28) {
                    field = rec[0] + 8 + 4 * r.nextInt(4); // interface id, timestamps, caplen
                }
                long v = r.nextBoolean() ? LEN32[r.nextInt(LEN32.length)]
                        : (long) rec[1] + r.nextInt(33) - 16;
                putU32(c, field, v);
                c.ops.add("reclen@" + field + "=" + (v & 0xffffffffL));
            }
            case 2 -> { // any aligned u32
                if (d.length < 4) {
                    return;
                }
                int p = r.nextInt(d.length / 4) * 4;
                long v = LEN32[r.nextInt(LEN32.length)];
                putU32(c, p, v);
                c.ops.add("u32@" + p + "=" + v);
            }
            case 3, 4 -> { // bit flips
                if (d.length == 0) {
                    return;
                }
                int k = 1 + r.nextInt(8);
                for (int i = 0; i < k; i++) {
                    int p = r.nextInt(d.length);
                    d[p] ^= (byte) (1 << r.nextInt(8));
                    c.changed(p);
                }
                c.ops.add("flips" + k);
            }
            case 5 -> { // truncate
                int p = d.length == 0 ? 0 : r.nextInt(d.length);
                c.data = Arrays.copyOf(d, p);
                c.changed(p);
                c.ops.add("cut@" + p);
            }
            case 6 -> { // duplicate a record
                if (recs.isEmpty()) {
                    return;
                }
                int[] rec = recs.get(r.nextInt(recs.size()));
                int at = rec[0] + rec[1];
                byte[] copy = Arrays.copyOfRange(d, rec[0], at);
                c.data = FuzzSupport.cat(Arrays.copyOf(d, at), copy, Arrays.copyOfRange(d, at, d.length));
                c.changed(at);
                c.ops.add("duprec@" + rec[0]);
            }
            case 7 -> { // delete a record or a random range
                if (d.length == 0) {
                    return;
                }
                int p;
                int q;
                if (!recs.isEmpty() && r.nextBoolean()) {
                    int[] rec = recs.get(r.nextInt(recs.size()));
                    p = rec[0];
                    q = rec[0] + rec[1];
                } else {
                    p = r.nextInt(d.length);
                    q = Math.min(d.length, p + 1 + r.nextInt(64));
                }
                c.data = FuzzSupport.cat(Arrays.copyOf(d, p), Arrays.copyOfRange(d, q, d.length));
                c.changed(p);
                c.ops.add("delete@" + p + ".." + q);
            }
            case 8 -> { // junk inserted
                int p = d.length == 0 ? 0 : r.nextInt(d.length + 1);
                byte[] junk = new byte[1 + r.nextInt(r.nextBoolean() ? 16 : 4096)];
                r.nextBytes(junk);
                c.data = FuzzSupport.cat(Arrays.copyOf(d, p), junk, Arrays.copyOfRange(d, p, d.length));
                c.changed(p);
                c.ops.add("junk@" + p);
            }
            case 9 -> { // a datagram mutation inside one record
                if (recs.isEmpty()) {
                    return;
                }
                int[] rec = recs.get(r.nextInt(recs.size()));
                boolean pcapng = rec[2] != -1;
                int dataStart = rec[0] + (pcapng ? 28 + 16 : 16 + 16);
                int dataEnd = rec[0] + rec[1] - (pcapng ? 4 : 0);
                if (dataEnd - dataStart < 4) {
                    return;
                }
                int p = dataStart + r.nextInt(dataEnd - dataStart);
                d[p] = (byte) r.nextInt(256);
                c.changed(p);
                c.ops.add("payload@" + p);
            }
            case 10 -> { // pcapng: a block's type
                if (recs.isEmpty() || recs.get(0)[2] == -1) {
                    return;
                }
                int[] rec = recs.get(r.nextInt(recs.size()));
                long t = new long[] {0, 1, 2, 3, 5, 6, 0x0a0d0d0a, 0x80000001L, 0xffffffffL}[r.nextInt(9)];
                boolean le = d.length >= 12 && (d[8] & 0xff) == 0x4d;
                ByteBuffer.wrap(c.data).order(le ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                        .putInt(rec[0], (int) t);
                c.changed(rec[0]);
                c.ops.add("btype@" + rec[0] + "=" + t);
            }
            default -> { // magic / header byte order swap
                if (d.length < 24) {
                    return;
                }
                int p = r.nextInt(24);
                d[p] = (byte) r.nextInt(256);
                c.changed(p);
                c.ops.add("hdr@" + p);
            }
        }
    }

    private void putU32(FileCase c, int pos, long v) {
        if (pos < 0 || pos + 4 > c.data.length) {
            return;
        }
        ByteOrder o = r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        // Prefer the file's own order: pcap magic d4c3b2a1 / pcapng byte-order magic 4d3c2b1a.
        if (c.data.length >= 12 && r.nextInt(4) != 0) {
            boolean le = (c.data[0] & 0xff) == 0xd4 || (c.data[0] & 0xff) == 0x4d
                    || (c.data[8] & 0xff) == 0x4d;
            o = le ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        }
        ByteBuffer.wrap(c.data).order(o).putInt(pos, (int) v);
        c.changed(pos);
    }
}
