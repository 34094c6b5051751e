package org.nlsniff.decode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Small formatting and reading helpers over absolute positions of a datagram buffer. Every read
 * is bounds-checked by its caller's window; these never move a buffer's position.
 */
public final class Bytes {
    private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);

    private Bytes() {}

    /** Lower-case hex of {@code buf[start, end)}. */
    public static String hex(ByteBuffer buf, int start, int end) {
        byte[] out = new byte[(end - start) * 2];
        if (buf.hasArray()) {
            // The decoder's buffers wrap a frame's array: read it without a check per byte.
            byte[] a = buf.array();
            int from = buf.arrayOffset() + start;
            java.util.Objects.checkFromToIndex(from, from + (end - start), a.length);
            for (int i = from, o = 0, to = from + (end - start); i < to; i++, o += 2) {
                int b = a[i] & 0xff;
                out[o] = HEX_BYTES[b >> 4];
                out[o + 1] = HEX_BYTES[b & 15];
            }
        } else {
            for (int i = start, o = 0; i < end; i++) {
                int b = buf.get(i) & 0xff;
                out[o++] = HEX_BYTES[b >> 4];
                out[o++] = HEX_BYTES[b & 15];
            }
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** {@code aa:bb:cc:...} of {@code buf[start, end)}. */
    public static String mac(ByteBuffer buf, int start, int end) {
        if (end <= start) {
            return "";
        }
        byte[] out = new byte[(end - start) * 3 - 1];
        int p = 0;
        for (int i = start; i < end; i++) {
            int b = buf.get(i) & 0xff;
            if (i > start) {
                out[p++] = ':';
            }
            out[p++] = HEX_BYTES[b >> 4];
            out[p++] = HEX_BYTES[b & 15];
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Dotted quad of 4 bytes. */
    public static String ipv4(ByteBuffer buf, int start) {
        byte[] out = new byte[15];
        int p = quad(buf, start, out, 0);
        return new String(out, 0, p, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Writes the dotted quad of 4 bytes at {@code out[p]}; returns the end. */
    private static int quad(ByteBuffer buf, int start, byte[] out, int p) {
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                out[p++] = '.';
            }
            int v = buf.get(start + i) & 0xff;
            if (v >= 100) {
                out[p++] = (byte) ('0' + v / 100);
            }
            if (v >= 10) {
                out[p++] = (byte) ('0' + v / 10 % 10);
            }
            out[p++] = (byte) ('0' + v % 10);
        }
        return p;
    }

    /**
     * RFC 5952 text of 16 bytes (longest zero run of two or more groups compressed), with
     * glibc's dotted tail for IPv4-mapped and IPv4-compatible addresses, as ip prints them.
     */
    public static String ipv6(ByteBuffer buf, int start) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((buf.get(start + 2 * i) & 0xff) << 8) | (buf.get(start + 2 * i + 1) & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        byte[] out = new byte[45];
        int p = 0;
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses print with a
        // dotted tail under glibc's inet_ntop6 rule, which ip uses: the longest zero run starts
        // at group 0 and is 6 groups long, or 5 with group 5 0xffff (so ::1 and ::1:0 differ).
        if (bestStart == 0 && (bestLen == 6 || bestLen == 5 && g[5] == 0xffff)) {
            out[p++] = ':';
            out[p++] = ':';
            if (bestLen == 5) {
                for (int i = 0; i < 5; i++) {
                    out[p++] = MAPPED_PREFIX[i];
                }
            }
            p = quad(buf, start + 12, out, p);
            return new String(out, 0, p, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out[p++] = ':';
                out[p++] = ':';
                i += bestLen - 1;
                continue;
            }
            if (p > 0 && out[p - 1] != ':') {
                out[p++] = ':';
            }
            int v = g[i];
            // Hex digits without leading zeros, as Integer.toHexString.
            for (int shift = v > 0xfff ? 12 : v > 0xff ? 8 : v > 0xf ? 4 : 0; shift >= 0;
                    shift -= 4) {
                out[p++] = HEX_BYTES[(v >> shift) & 15];
            }
        }
        return new String(out, 0, p, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static final byte[] MAPPED_PREFIX = {'f', 'f', 'f', 'f', ':'};

    /** An address by its length: 4 → IPv4, 16 → IPv6, anything else → hex. */
    public static String ip(ByteBuffer buf, int start, int end) {
        return switch (end - start) {
            case 4 -> ipv4(buf, start);
            case 16 -> ipv6(buf, start);
            default -> hex(buf, start, end);
        };
    }

    /** An unsigned or signed integer of 1, 2, 4 or 8 bytes in the given order. */
    public static long integer(ByteBuffer buf, int start, int width, boolean signed, ByteOrder order) {
        boolean swap = order != buf.order();
        return switch (width) {
            case 1 -> signed ? buf.get(start) : buf.get(start) & 0xffL;
            case 2 -> {
                short v = buf.getShort(start);
                if (swap) {
                    v = Short.reverseBytes(v);
                }
                yield signed ? v : v & 0xffffL;
            }
            case 4 -> {
                int v = buf.getInt(start);
                if (swap) {
                    v = Integer.reverseBytes(v);
                }
                yield signed ? v : v & 0xffffffffL;
            }
            case 8 -> swap ? Long.reverseBytes(buf.getLong(start)) : buf.getLong(start);
            default -> throw new IllegalArgumentException("width " + width);
        };
    }

    /**
     * The same straight from an array (one bounds check, no buffer order to compare): what
     * writers that copy many members in a loop use.
     */
    public static long integer(byte[] a, int at, int width, boolean signed, boolean bigEndian) {
        return switch (width) {
            case 1 -> signed ? a[at] : a[at] & 0xffL;
            case 2 -> {
                short v = bigEndian ? (short) U16_BE.get(a, at) : (short) U16_LE.get(a, at);
                yield signed ? v : v & 0xffffL;
            }
            case 4 -> {
                int v = bigEndian ? (int) U32_BE.get(a, at) : (int) U32_LE.get(a, at);
                yield signed ? v : v & 0xffffffffL;
            }
            case 8 -> bigEndian ? (long) U64_BE.get(a, at) : (long) U64_LE.get(a, at);
            default -> throw new IllegalArgumentException("width " + width);
        };
    }

    private static final java.lang.invoke.VarHandle U16_LE = view(short[].class, false);
    private static final java.lang.invoke.VarHandle U16_BE = view(short[].class, true);
    private static final java.lang.invoke.VarHandle U32_LE = view(int[].class, false);
    private static final java.lang.invoke.VarHandle U32_BE = view(int[].class, true);
    private static final java.lang.invoke.VarHandle U64_LE = view(long[].class, false);
    private static final java.lang.invoke.VarHandle U64_BE = view(long[].class, true);

    private static java.lang.invoke.VarHandle view(Class<?> type, boolean big) {
        return java.lang.invoke.MethodHandles.byteArrayViewVarHandle(type,
                big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    /** Netlink alignment (NLMSG_ALIGN / NLA_ALIGN): up to a multiple of 4. */
    public static int align4(int n) {
        return (n + 3) & ~3;
    }
}
