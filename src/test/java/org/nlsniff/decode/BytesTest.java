package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BytesTest {
    @ParameterizedTest
    @CsvSource({
        "20010db8000100000000000000000001, 2001:db8:1::1",
        "00000000000000000000000000000001, ::1",
        "00000000000000000000000000000000, ::",
        "fe8000000000000008484cfffe737e27, fe80::848:4cff:fe73:7e27",
        "ff000000000000000000000000000000, ff00::",
        "20010db8000000010000000100000001, 2001:db8:0:1:0:1:0:1",
        "20010db8000000000001000000000000, 2001:db8:0:0:1::",
        "00000000000000000000ffffc6336401, ::ffff:198.51.100.1",
        "000000000000000000000000cb007101, ::203.0.113.1",
        "00000000000000000000000000010000, ::0.1.0.0",
        "00000000000000000000000000000002, ::2",
        "00000000000000000000ffff00000000, ::ffff:0.0.0.0",
        "00000000000000000001ffffcb007101, ::1:ffff:cb00:7101",
        "00000000000000000000fffecb007101, ::fffe:cb00:7101",
        "00010000000000000000ffffcb007101, 1::ffff:cb00:7101",
    })
    void ipv6IsGlibcInetNtopText(String hex, String text) {
        assertEquals(text, Bytes.ipv6(ByteBuffer.wrap(HexFormat.of().parseHex(hex)), 0));
    }

    /**
     * Random addresses made mostly of zero groups and small values (every run length and
     * position, the IPv4-mapped and IPv4-compatible forms) give what a plain reading of RFC 5952
     * with glibc's inet_ntop6 rule for a dotted tail gives.
     */
    @org.junit.jupiter.api.Test
    void ipv6AgreesWithAPlainReadingOfRfc5952AndGlibc() {
        java.util.Random r = new java.util.Random(5952);
        for (int n = 0; n < 200_000; n++) {
            byte[] b = new byte[16];
            for (int i = 0; i < 8; i++) {
                int v = switch (r.nextInt(6)) {
                    case 0, 1, 2 -> 0;
                    case 3 -> r.nextInt(16);
                    case 4 -> r.nextInt(0x1000);
                    default -> r.nextInt(0x10000);
                };
                b[2 * i] = (byte) (v >> 8);
                b[2 * i + 1] = (byte) v;
            }
            if (r.nextInt(20) == 0) {
                java.util.Arrays.fill(b, 0, 10, (byte) 0);
                b[10] = (byte) 0xff;
                b[11] = (byte) 0xff;
            } else if (r.nextInt(20) == 0) {
                java.util.Arrays.fill(b, 0, 12, (byte) 0);
            }
            assertEquals(reference(b), Bytes.ipv6(ByteBuffer.wrap(b), 0), HexFormat.of().formatHex(b));
        }
    }

    /**
     * RFC 5952 section 4 read literally: groups, the first longest run of 2+ zeros as ::; then
     * glibc's inet_ntop6 (resolv/inet_ntop.c): when that run starts at group 0 and is 6 groups
     * long, or 5 with group 5 0xffff, the last 4 bytes print as a dotted quad.
     */
    private static String reference(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        String quad = (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "."
                + (b[15] & 0xff);
        int best = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                best = i;
                bestLen = j - i;
            }
        }
        if (best == 0 && (bestLen == 6 || bestLen == 5 && g[5] == 0xffff)) {
            return (bestLen == 5 ? "::ffff:" : "::") + quad;
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            parts.add(Integer.toHexString(g[i]));
        }
        if (best < 0) {
            return String.join(":", parts);
        }
        return String.join(":", parts.subList(0, best)) + "::"
                + String.join(":", parts.subList(best + bestLen, 8));
    }

    @ParameterizedTest
    @CsvSource({"c6336401, 198.51.100.1", "cb007100, 203.0.113.0", "00000000, 0.0.0.0",
        "ff0a6309, 255.10.99.9"})
    void ipByLengthPicksTheFamily(String hex, String text) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertEquals(text, Bytes.ip(ByteBuffer.wrap(b), 0, b.length));
    }

    @ParameterizedTest
    @CsvSource({"0200005e1001, 02:00:00:5e:10:01", "ffffffffffff, ff:ff:ff:ff:ff:ff", "0a, 0a",
        "'', ''"})
    void macIsColonSeparated(String hex, String text) {
        byte[] raw = HexFormat.of().parseHex(hex);
        assertEquals(text, Bytes.mac(ByteBuffer.wrap(raw), 0, raw.length));
    }
}
