package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hex, MAC and IP text is copied into the JSON without a look at each character
 * ({@link PlainText}): the line must be what Jackson writes for the same tree, for short text
 * and for text longer than the writer's buffer.
 */
class PlainTextTest {
    @TempDir static Path dir;
    private static SpecDecoder decoder;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void spec() throws Exception {
        decoder = TestSpecs.withFamily(dir, "t.yaml", """
                name: t
                protonum: 97
                x-object: t
                attribute-sets:
                  - name: s
                    attributes:
                      - { name: raw, value: 1, type: binary }
                      - { name: mac, value: 2, type: binary, display-hint: mac }
                      - { name: addr, value: 3, type: binary, display-hint: ip }
                operations:
                  list:
                    - { name: newthing, value: 20, attribute-set: s }
                """);
    }

    private static void rendersAsJackson(String attrsHex) throws Exception {
        Message m = TestSpecs.message(decoder, 97, attrsHex);
        assertTrue(m.problems.isEmpty(), m.problems.toString());
        String attrs = TestSpecs.renderedAttrs(m);
        assertEquals(JSON.writeValueAsString(m.attrs), attrs);
    }

    @Test
    void shortTextIsWhatJacksonWrites() throws Exception {
        rendersAsJackson("0800 0100 00ff7f80 0a00 0200 020000001001 0000"
                + "1400 0300 20010db8000000000000000000000001 0800 0300 c6336401");
    }

    @Test
    void textLongerThanTheBufferIsWhatJacksonWrites() throws Exception {
        int n = 40_000; // 80,000 hex digits, more than the writer's 64 KiB buffer
        String payload = "ab".repeat(n);
        String len = String.format("%02x%02x", (n + 4) & 0xff, (n + 4) >> 8);
        rendersAsJackson(len + "0100" + payload);
    }
}
