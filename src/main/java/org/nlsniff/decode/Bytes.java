package org.nlsniff.decode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Small formatting and reading helpers over absolute positions of a datagram buffer. Every read
 * is bounds-checked by its caller's window; these never move a buffer's position.
 */
public final class Bytes {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);

    private Bytes() {}

    /** Lower-case hex of {@code buf[start, end)}. */
    public static String hex(ByteBuffer buf, int start, int end) {
        byte[] out = new byte[(end - start) * 2];
        for (int i = start, o = 0; i < end; i++) {
            int b = buf.get(i) & 0xff;
            out[o++] = HEX_BYTES[b >> 4];
            out[o++] = HEX_BYTES[b & 15];
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** {@code aa:bb:cc:...} of {@code buf[start, end)}. */
    public static String mac(ByteBuffer buf, int start, int end) {
        StringBuilder sb = new StringBuilder((end - start) * 3);
        for (int i = start; i < end; i++) {
            int b = buf.get(i) & 0xff;
            if (i > start) {
                sb.append(':');
            }
            sb.append(HEX[b >> 4]).append(HEX[b & 15]);
        }
        return sb.toString();
    }

    /** Dotted quad of 4 bytes. */
    public static String ipv4(ByteBuffer buf, int start) {
        return (buf.get(start) & 0xff) + "." + (buf.get(start + 1) & 0xff) + "."
                + (buf.get(start + 2) & 0xff) + "." + (buf.get(start + 3) & 0xff);
    }

    /** RFC 5952 text of 16 bytes (longest zero run of two or more groups compressed). */
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
        // IPv4-mapped addresses print with a dotted tail, as inet_ntop does.
        if (bestStart == 0 && bestLen == 5 && g[5] == 0xffff) {
            return "::ffff:" + ipv4(buf, start + 12);
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

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

    /** Netlink alignment (NLMSG_ALIGN / NLA_ALIGN): up to a multiple of 4. */
    public static int align4(int n) {
        return (n + 3) & ~3;
    }
}
