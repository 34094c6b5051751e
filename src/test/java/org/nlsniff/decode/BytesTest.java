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
    })
    void ipv6IsRfc5952Text(String hex, String text) {
        assertEquals(text, Bytes.ipv6(ByteBuffer.wrap(HexFormat.of().parseHex(hex)), 0));
    }

    @ParameterizedTest
    @CsvSource({"c6336401, 198.51.100.1", "cb007100, 203.0.113.0"})
    void ipByLengthPicksTheFamily(String hex, String text) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertEquals(text, Bytes.ip(ByteBuffer.wrap(b), 0, b.length));
    }

    @ParameterizedTest
    @CsvSource({"0200005e1001, 02:00:00:5e:10:01", "ffffffffffff, ff:ff:ff:ff:ff:ff"})
    void macIsColonSeparated(String hex, String text) {
        byte[] raw = HexFormat.of().parseHex(hex);
        assertEquals(text, Bytes.mac(ByteBuffer.wrap(raw), 0, raw.length));
    }
}
