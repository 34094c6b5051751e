package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every attribute type of the spec format, table-driven: exact, short and long payloads, strings
 * with and without NUL, flag sets with leftover bits, structs at any length, nests with trailing
 * padding or garbage, repeated attributes. A row expects either the JSON value or a problem code
 * (then the bytes must be in {@code unknown}).
 */
class AttributeTypesTest {
    @TempDir static Path dir;
    private static SpecDecoder decoder;

    @BeforeAll
    static void spec() throws Exception {
        decoder = TestSpecs.withFamily(dir, "t.yaml", """
                name: t
                protonum: 99
                x-object: t
                definitions:
                  - { name: fl, type: flags, entries: [{ name: a, value: 0x1 }, { name: b-c, value: 0x2 }] }
                  - { name: en, type: enum, entries: [{ name: zero, value: 0 }, { name: one, value: 1 }] }
                  - name: st
                    type: struct
                    members: [{ name: x, type: u16 }, { name: pad, type: pad, len: 2 }, { name: y, type: u32 }]
                attribute-sets:
                  - name: s
                    attributes:
                      - { name: u8, value: 1, type: u8 }
                      - { name: u16, value: 2, type: u16 }
                      - { name: u32, value: 3, type: u32 }
                      - { name: u64, value: 4, type: u64 }
                      - { name: s32, value: 5, type: s32 }
                      - { name: be16, value: 6, type: u16, byte-order: big-endian }
                      - { name: str, value: 7, type: string }
                      - { name: flg, value: 8, type: flag }
                      - { name: flags, value: 9, type: u32, enum: fl, enum-as-flags: true }
                      - { name: en, value: 10, type: u8, enum: en }
                      - { name: mac, value: 11, type: binary, display-hint: mac }
                      - { name: ip, value: 12, type: binary, display-hint: ip }
                      - { name: st, value: 13, type: binary, struct: st }
                      - { name: nest, value: 14, type: nest, nested-attributes: s }
                      - { name: multi, value: 15, type: u8, multi-attr: true }
                      - { name: uint, value: 16, type: uint }
                      - { name: s8, value: 17, type: s8 }
                operations:
                  list:
                    - { name: newthing, value: 20, attribute-set: s }
                """);
    }

    /** One message of type 20 holding the given attribute bytes (header included). */
    private static Message decode(String attrsHex) {
        return TestSpecs.message(decoder, 99, attrsHex);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "u8 exact                | 05000100 2a000000             | u8     | 42",
        "u8 too long             | 06000100 2a2b0000             | u8     | problem:attr-size-mismatch",
        "u16 exact               | 06000200 3412 0000            | u16    | 4660",
        "u16 short               | 05000200 34 000000            | u16    | problem:attr-size-mismatch",
        "u32 exact               | 08000300 ffffffff             | u32    | 4294967295",
        "u32 long                | 0c000300 01000000 00000000    | u32    | problem:attr-size-mismatch",
        "u64 top bit             | 0c000400 0000000000000080     | u64    | 9223372036854775808",
        "s32 negative            | 08000500 ffffffff             | s32    | -1",
        "s8 negative             | 05001100 ff000000             | s8     | -1",
        "big-endian u16          | 06000600 12b5 0000            | be16   | 4789",
        "string with NUL         | 09000700 6e6c743000 000000    | str    | \"nlt0\"",
        "string without NUL      | 08000700 6e6c7430             | str    | \"nlt0\"",
        "empty string            | 04000700                      | str    | \"\"",
        "flag                    | 04000800                      | flg    | true",
        "flags with leftover bit | 08000900 07000000             | flags  | [\"A\",\"B_C\",\"0x4\"]",
        "no flags                | 08000900 00000000             | flags  | []",
        "enum known              | 05000a00 01000000             | en     | \"one\"",
        "enum unknown stays a number | 05000a00 07000000         | en     | 7",
        "mac                     | 0a000b00 0200005e1001 0000    | mac    | \"02:00:00:5e:10:01\"",
        "ipv4 by length          | 08000c00 c6336401             | ip     | \"198.51.100.1\"",
        "ipv6 by length          | 14000c00 20010db8000000000000000000000001 | ip | \"2001:db8::1\"",
        "odd address length is hex | 07000c00 010203 00          | ip     | \"010203\"",
        "struct exact            | 0c000d00 0100 0000 02000000   | st     | {\"x\":1,\"y\":2}",
        "struct short (older kernel) | 06000d00 0100 0000        | st     | {\"x\":1}",
        "struct cut inside a member keeps its bytes | 0a000d00 0100 0000 0300 0000 | st | {\"x\":1,\"_extra\":\"0300\"}",
        "struct long (newer kernel)  | 10000d00 0100 0000 02000000 03000000 | st | {\"x\":1,\"y\":2,\"_extra\":\"03000000\"}",
        "nest with padding       | 0c000e00 05000100 2a000000    | nest   | {\"u8\":42}",
        "nested bit is masked    | 0c000e80 05000100 2a000000    | nest   | {\"u8\":42}",
        "nest trailing garbage   | 0f000e00 05000100 2a000000 ffffff00 | nest | problem:trailing-bytes",
        "multi-attr              | 05000f00 01000000 05000f00 02000000 | multi | [1,2]",
        "single multi-attr is an array | 05000f00 01000000       | multi  | [1]",
        "repeat without multi-attr keeps both | 05000100 01000000 05000100 02000000 | u8 | [1,2]",
        "uint 4 bytes            | 08001000 05000000             | uint   | 5",
        "uint 8 bytes            | 0c001000 0500000000000000     | uint   | 5",
        "uint 3 bytes            | 07001000 050000 00            | uint   | problem:attr-size-mismatch",
        "length below 4          | 03000100 00000000             | u8     | problem:attr-length-too-small",
        "length past the message | 40000100 2a000000             | u8     | problem:attr-overruns-parent",
    })
    void decodesOrReports(String name, String hex, String key, String expected) {
        Message m = decode(hex);
        if (expected.startsWith("problem:")) {
            String code = expected.substring("problem:".length());
            assertTrue(m.problems.stream().anyMatch(p -> p.code().equals(code)),
                    name + ": problems " + m.problems + ", attrs " + m.attrs);
            return;
        }
        assertEquals(expected, m.attrs.path(key).toString(), name + ": attrs " + m.attrs);
        assertTrue(m.problems.isEmpty(), name + ": " + m.problems);
    }

    /**
     * The flag bits of a known attribute: NLA_F_NET_BYTEORDER makes an integer big-endian, and
     * a bit the spec does not expect is a problem (the value is still decoded), never lost.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "net-byteorder u32 read big-endian    | 08000340 000005dc          | u32  | 1500       | attr-flag-unexpected",
        "net-byteorder s32 read big-endian    | 08000540 fffffffe          | s32  | -2         | attr-flag-unexpected",
        "net-byteorder uint 8 read big-endian | 0c001040 0000000000000005  | uint | 5          | attr-flag-unexpected",
        "net-byteorder u64 top bit            | 0c000440 8000000000000000  | u64  | 9223372036854775808 | attr-flag-unexpected",
        "net-byteorder on a big-endian spec   | 06000640 12b5 0000         | be16 | 4789       | none",
        "net-byteorder on a u8                | 05000140 2a000000          | u8   | 42         | none",
        "net-byteorder on a string            | 09000740 6e6c743000 000000 | str  | \"nlt0\" | attr-flag-unexpected",
        "net-byteorder on a nest              | 0c000e40 05000100 2a000000 | nest | {\"u8\":42} | attr-flag-unexpected",
        "nested bit on a u32                  | 08000380 01000000          | u32  | 1          | attr-flag-unexpected",
        "nested bit on a nest is expected     | 0c000e80 05000100 2a000000 | nest | {\"u8\":42} | none",
    })
    void flagBitsOfKnownAttributes(String name, String hex, String key, String expected,
            String problem) {
        Message m = decode(hex);
        assertEquals(expected, m.attrs.path(key).toString(), name + ": attrs " + m.attrs);
        assertEquals(problem.equals("none") ? java.util.List.of() : java.util.List.of(problem),
                m.problems.stream().map(p -> p.code()).toList(), name + ": " + m.problems);
    }

    /**
     * A repeated attribute is an array in the JSON; readers that want one value (the ip-style
     * text, link.moved) take the last copy, as iproute2's parse_rtattr() does, at any depth,
     * while a multi-attr stays an array.
     */
    @org.junit.jupiter.api.Test
    void repeatedAttributesAreReadByTheirLastCopyWhileMultiAttrStaysAnArray() {
        Message m = decode("08000300 01000000 08000300 02000000 14000e00 05000100 01000000"
                + " 05000100 02000000 05000f00 01000000 05000f00 02000000");
        assertTrue(m.repeats);
        assertEquals("[1,2]", m.attrs.get("u32").toString());
        assertEquals(2, m.num(m.attrs, "u32", -1));
        assertEquals("{\"u32\":2,\"nest\":{\"u8\":2},\"multi\":[1,2]}",
                RepeatedValues.lastOf(m.attrs).toString());
        assertEquals("{\"u32\":[1,2],\"nest\":{\"u8\":[1,2]},\"multi\":[1,2]}",
                m.attrs.toString()); // the message itself keeps every copy
        Message plain = decode("08000300 01000000 05000f00 01000000 05000f00 02000000");
        assertFalse(plain.repeats);
        org.junit.jupiter.api.Assertions.assertSame(plain.attrs, RepeatedValues.lastOf(plain.attrs));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown type keeps flags and hex | 0800c880 01020304 | 200 | true | false | 01020304",
        "unknown net-byteorder            | 0600c840 0102 0000 | 200 | false | true | 0102",
    })
    void unknownAttributesAreKept(String name, String hex, int type, boolean nested,
            boolean netOrder, String payload) {
        Message m = decode(hex);
        var u = m.unknown.get(0);
        assertEquals(type, u.get("type").asInt());
        assertEquals(nested, u.get("nested").asBoolean());
        assertEquals(netOrder, u.get("net_byteorder").asBoolean());
        assertEquals(payload, u.get("hex").asText());
    }

}
