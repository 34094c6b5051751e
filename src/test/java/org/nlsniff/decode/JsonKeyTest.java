package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.spec.Field;

/**
 * Keys the decoder hands the JSON writer ready-made ({@link Field#jsonKey}) are what the writer
 * would make of them; a key that needs escaping has none, and the writer escapes it as before.
 */
class JsonKeyTest {
    @TempDir Path dir;

    @Test
    void readyMadeKeysOnlyForKeysThatNeedNoEscaping() {
        assertEquals("\"ifname\":", new String(Field.jsonKey("ifname"),
                java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("\"\":", new String(Field.jsonKey(""), java.nio.charset.StandardCharsets.US_ASCII));
        assertNotNull(Field.jsonKey("a b~"));
        for (String k : new String[] {"a\"b", "a\\b", "gr\u00f6\u00dfe", "tab\t", "del\u007f"}) {
            assertNull(Field.jsonKey(k), k);
        }
    }

    @Test
    void keysWithAndWithoutAReadyMadeFormAreWrittenAsJacksonWritesThem() throws Exception {
        SpecDecoder decoder = TestSpecs.withFamily(dir, "k.yaml", """
                name: k
                protonum: 98
                definitions:
                  - name: st
                    type: struct
                    members: [{ name: "x\\"q", type: u16 }, { name: plain, type: u16 }]
                attribute-sets:
                  - name: s
                    attributes:
                      - { name: "gr\u00f6\u00dfe", value: 1, type: u8 }
                      - { name: "back\\\\slash", value: 2, type: u8 }
                      - { name: plain-name, value: 3, type: u8 }
                      - { name: st, value: 4, type: binary, struct: st }
                operations:
                  list:
                    - { name: newthing, value: 20, attribute-set: s }
                """);
        Message m = TestSpecs.message(decoder, 98,
                "05000100 07000000 05000200 08000000 05000300 09000000 08000400 01000200");
        String written = TestSpecs.renderedAttrs(m);
        assertEquals(new ObjectMapper().writeValueAsString(m.attrs), written);
        assertEquals("{\"gr\u00f6\u00dfe\":7,\"back\\\\slash\":8,\"plain_name\":9,"
                + "\"st\":{\"x\\\"q\":1,\"plain\":2}}", written);
    }
}
