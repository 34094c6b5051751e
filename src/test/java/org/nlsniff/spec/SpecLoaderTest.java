package org.nlsniff.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nlsniff.decode.Decoders;
import org.nlsniff.testing.Repo;

class SpecLoaderTest {
    @TempDir Path dir;

    private static Set<String> javaDecoders() throws SpecException {
        return Decoders.load(SpecLoaderTest.class.getClassLoader()).attributeNames();
    }

    @Test
    void bundledSpecsLoadAndResolveTheRtnetlinkTypes() throws SpecException {
        Spec spec = new SpecLoader(javaDecoders()).addDefaults().build();
        assertEquals("RTM_NEWLINK", spec.operation(0, 16).constant());
        assertEquals("RTM_DELNSID", spec.operation(0, 89).constant());
        assertEquals("NLMSG_ERROR", spec.operation(16, 2).constant());
        assertEquals(28, spec.family("rt-nsid").groups.get("rtnlgrp-nsid"));
        assertNotNull(spec.family("rt-link").sets.get("link-attrs").byType(45));
    }

    @Test
    void repositoryDecodersDirectoryIsWhatTheJarCarries() throws SpecException {
        // The build copies decoders/ into the jar; loading the directory itself must give the
        // same table (guards against a spec that only loads from one place).
        Spec jar = new SpecLoader(javaDecoders()).addDefaults().build();
        Spec dirSpec = new SpecLoader(javaDecoders()).addDirectory(Repo.root().resolve("decoders")).build();
        assertEquals(jar.families().keySet(), dirSpec.families().keySet());
        assertEquals(jar.table().size(), dirSpec.table().size());
    }

    @Test
    void theBundledJsonIsTheTreesOfTheDecodersYamlFiles() throws Exception {
        // bundled.json is made by the build; a YAML edit without a rebuild fails here.
        com.fasterxml.jackson.databind.JsonNode bundled;
        try (var in = SpecLoader.class.getResourceAsStream(SpecLoader.BUNDLED_JSON)) {
            assertNotNull(in, "the build writes " + SpecLoader.BUNDLED_JSON);
            bundled = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        var yaml = SpecLoader.readYamlDirectory(Repo.root().resolve("decoders"),
                p -> p.getFileName().toString());
        assertEquals(yaml.keySet(), iterable(bundled.fieldNames()));
        for (var e : yaml.entrySet()) {
            assertEquals(e.getValue(), bundled.get(e.getKey()), e.getKey());
        }
    }

    private static Set<String> iterable(java.util.Iterator<String> it) {
        Set<String> out = new java.util.TreeSet<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void invalidYamlSaysWhere() throws IOException {
        SpecException e = load("name: x\nattribute-sets: [{name: s, attributes: [\n  - oops\n");
        assertTrue(e.getMessage().startsWith("" + dir.resolve("x.yaml") + ": not valid YAML: "),
                e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*\\(line \\d+, column \\d+\\)$"), e.getMessage());
    }

    private SpecException load(String yaml) throws IOException {
        Files.writeString(dir.resolve("x.yaml"), yaml);
        return assertThrows(SpecException.class,
                () -> new SpecLoader(Set.of()).addDirectory(dir).build());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "attribute without value|attribute-sets: [{name: s, attributes: [{name: a, type: u32}]}]|needs an explicit integer `value`",
        "duplicate attribute value|attribute-sets: [{name: s, attributes: [{name: a, value: 1, type: u32}, {name: b, value: 1, type: u8}]}]|value 1 used twice",
        "duplicate attribute name|attribute-sets: [{name: s, attributes: [{name: a, value: 1, type: u32}, {name: a, value: 2, type: u8}]}]|name used twice",
        "enum entry without value|definitions: [{name: e, type: enum, entries: [{name: x}]}]|needs an explicit integer `value`",
        "missing nested set|attribute-sets: [{name: s, attributes: [{name: a, value: 1, type: nest, nested-attributes: nope}]}]|attribute-set `nope`, which is not defined",
        "unknown type|attribute-sets: [{name: s, attributes: [{name: a, value: 1, type: u31}]}]|unknown type `u31`",
        "unregistered java decoder|attribute-sets: [{name: s, attributes: [{name: a, value: 1, type: binary, x-decoder: nope}]}]|x-decoder `nope` is not registered",
        "bad byte order|attribute-sets: [{name: s, attributes: [{name: a, value: 1, type: u16, byte-order: middle}]}]|byte-order must be",
        "member len over 65535|definitions: [{name: h, type: struct, members: [{name: a, type: binary, len: 2147483647}, {name: b, type: u32}]}]|len 2147483647 is outside 1..65535",
        "member len beyond a long|definitions: [{name: h, type: struct, members: [{name: a, type: pad, len: 99999999999999999999}]}]|is outside 1..65535",
        "member len not a number|definitions: [{name: h, type: struct, members: [{name: a, type: binary, len: eight}]}]|need a `len`",
        "struct over 65535 bytes|definitions: [{name: h, type: struct, members: [{name: a, type: u32}, {name: b, type: binary, len: 65535}]}]|larger than 65535 bytes at member b",
    })
    void lintRejectsWithFileAndPlace(String what, String body, String message) throws IOException {
        SpecException e = load("name: t\nprotonum: 99\n" + body + "\n");
        assertTrue(e.getMessage().contains("x.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(message), what + ": " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "newline in x-label|x-label: \"EVIL\\n[LINK]forged\"|x-label: character U+000A",
        "escape in x-type-prefix|x-type-prefix: \"RTM_\\e[2J\"|x-type-prefix: character U+001B",
        "tab in x-object|x-object: \"a\\tb\"|x-object: character U+0009",
        "newline in an operation name|operations: {list: [{name: \"ne\\nw\", value: 100}]}|operations name: character U+000A",
        "newline in an attribute name|attribute-sets: [{name: s, attributes: [{name: \"x\\ny\", value: 1, type: u32}]}]|attribute-set s name: character U+000A",
        "bidi override in an enum entry|definitions: [{name: e, type: enum, entries: [{name: \"a\\u202eb\", value: 1}]}]|character U+202E",
        "arabic letter mark in a struct member|definitions: [{name: h, type: struct, members: [{name: \"a\\u061cb\", type: u8}]}]|character U+061C",
        "line separator in a set name|attribute-sets: [{name: \"s\\u2028\", attributes: []}]|character U+2028",
        "C1 control in a group name|mcast-groups: {list: [{name: \"g\\x85\", value: 1}]}|character U+0085",
        "DEL in a family name|name: \"t\\x7f\"|name: character U+007F",
        "tag character beyond the BMP|attribute-sets: [{name: s, attributes: [{name: \"x\\U000E0041y\", value: 1, type: u32}]}]|character U+E0041",
        "musical format character|attribute-sets: [{name: s, attributes: [{name: \"x\\U0001D173y\", value: 1, type: u32}]}]|character U+1D173",
        "empty operation name|operations: {list: [{name: \"\", value: 100}]}|empty `name`",
    })
    void controlAndInvisibleCharactersInNamesAreRefused(String what, String body, String message)
            throws IOException {
        SpecException e = load("name: t\nprotonum: 99\n" + body + "\n");
        assertTrue(e.getMessage().contains("x.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(message), what + ": " + e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }

    @Test
    void everyCharacterPrintableWouldEscapeIsRefusedInNames() {
        for (char c = 0; c < 0xffff; c++) {
            if (org.nlsniff.event.Event.needsEscape(c) || c == '\t') {
                assertTrue(!SpecLoader.isPlainCharacter(c), String.format("U+%04X", (int) c));
            }
        }
        assertTrue(SpecLoader.isPlainCharacter('\u00e9') && SpecLoader.isPlainCharacter('-'));
        // A lone surrogate is no character; CJK and emoji (beyond the BMP) are names like others.
        assertTrue(!SpecLoader.isPlainCharacter(0xd800));
        assertTrue(SpecLoader.isPlainCharacter(0x4e2d) && SpecLoader.isPlainCharacter(0x1f600));
    }

    @Test
    void twoFamiliesClaimingOneMessageTypeFailNamingBothFiles() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "name: a\nprotonum: 99\noperations: {list: [{name: x, value: 20}]}\n");
        Files.writeString(dir.resolve("b.yaml"), "name: b\nprotonum: 99\noperations: {list: [{name: y, value: 20}]}\n");
        SpecException e = assertThrows(SpecException.class,
                () -> new SpecLoader(Set.of()).addDirectory(dir).build());
        assertTrue(e.getMessage().contains("a.yaml") && e.getMessage().contains("b.yaml"), e.getMessage());
    }

    @Test
    void yamlTagsCannotConstructObjects() throws IOException {
        SpecException e = load("!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]\n");
        assertTrue(e.getMessage().contains("x.yaml"), e.getMessage());
    }

    @Test
    void overrideDirectoryReplacesAFamilyOfTheSameName() throws Exception {
        Files.writeString(dir.resolve("rt-nsid.yaml"), """
                name: rt-nsid
                protonum: 0
                x-object: nsid
                attribute-sets: [{name: s, attributes: [{name: my-nsid, value: 1, type: s32}]}]
                operations: {list: [{name: newnsid, value: 88, attribute-set: s}]}
                """);
        Spec spec = new SpecLoader(javaDecoders()).addDefaults().addDirectory(dir).build();
        assertEquals("my-nsid", spec.operation(0, 88).attributeSet().byType(1).name);
        assertTrue(spec.table().stream().anyMatch(r -> r.contains("RTM_NEWNSID") && r.contains(dir.toString())));
    }
}
