package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.testing.Repo;

/**
 * The three ways to extend decoding without touching the core: one YAML entry for a new
 * attribute, one attribute set plus one selector line for a new link kind, and a plugin jar
 * with a Java decoder found through ServiceLoader.
 */
class ExtensionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    /** RTM_NEWLINK, ifindex 7, IFLA_IFNAME "nlt0", attribute 70 (u32 5), linkinfo kind "nltk" + data. */
    private static final String LINK_HEX = "50000000100000000000000000000000"
            + "00000100070000000000000000000000" // ifinfomsg: family 0, type 1, index 7
            + "090003006e6c743000000000"          // IFLA_IFNAME "nlt0"
            + "0800460005000000"                  // type 70: u32 5
            + "1c001200"                          // IFLA_LINKINFO (len 28)
            + "09000100" + "6e6c746b00000000"     //   IFLA_INFO_KIND "nltk"
            + "0c000200" + "0800010009000000";    //   IFLA_INFO_DATA { attr 1: u32 9 }

    private static JsonNode decode(String... extra) throws IOException {
        String[] args = new String[extra.length + 3];
        args[0] = "decode";
        args[1] = "--json";
        System.arraycopy(extra, 0, args, 2, extra.length);
        args[args.length - 1] = LINK_HEX;
        Repo.Run r = Repo.cli(args);
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out().lines().findFirst().orElseThrow());
    }

    @Test
    void withoutExtensionsTheNewAttributeAndKindAreKeptAsUnknown() throws IOException {
        JsonNode e = decode();
        assertEquals("nlt0", e.at("/attrs/ifname").asText());
        assertEquals(70, e.at("/unknown/0/type").asInt());
        assertEquals("05000000", e.at("/unknown/0/hex").asText());
        assertEquals("linkinfo.data", e.at("/unknown/1/path").asText());
    }

    @Test
    void oneYamlEntryAddsAnAttributeAndOneSetPlusOneLineAddsALinkKind() throws IOException {
        String spec = Files.readString(Repo.root().resolve("decoders/rt-link.yaml"));
        // One entry in link-attrs:
        spec = spec.replaceFirst("(?m)^(  - name: link-attrs\\n(?:    .*\\n)*?    attributes:\\n)",
                "$1      - { name: my-new-thing, value: 70, type: u32 }\n");
        // One attribute set and one selector line for the kind:
        spec = spec.replaceFirst("(?m)^(  - name: linkinfo-data-msg\\n    formats:\\n)",
                "$1      - { value: nltk, attribute-set: linkinfo-nltk-attrs }\n");
        spec = spec.replaceFirst("(?m)^attribute-sets:\\n", "attribute-sets:\n"
                + "  - name: linkinfo-nltk-attrs\n    attributes:\n"
                + "      - { name: answer, value: 1, type: u32 }\n");
        Path dir = Files.createDirectories(tmp.resolve("specs"));
        Files.writeString(dir.resolve("rt-link.yaml"), spec);
        JsonNode e = decode("--decoders", dir.toString());
        assertEquals(5, e.at("/attrs/my_new_thing").asInt(), e.toString());
        assertEquals(9, e.at("/attrs/linkinfo/data/answer").asInt(), e.toString());
        assertEquals(0, e.at("/unknown").size(), e.toString());
    }

    @Test
    void aPluginJarAddsAJavaDecoderWithoutTouchingTheCore() throws Exception {
        Path jar = buildPluginJar();
        Path dir = Files.createDirectories(tmp.resolve("plugin-specs"));
        Files.writeString(dir.resolve("example.yaml"), """
                name: example
                protonum: 31
                x-object: example
                x-label: EXAMPLE
                attribute-sets:
                  - name: example-attrs
                    attributes:
                      - { name: name, value: 1, type: string }
                      - { name: secret, value: 2, type: binary, x-decoder: example-reverse }
                operations:
                  list:
                    - { name: newthing, value: 20, attribute-set: example-attrs }
                """);
        String hex = "2000000014000000000000000000000008000100616263000700020001020300";
        Repo.Run without = Repo.cli("decode", "--json", "-p", "31", "--decoders", dir.toString(), hex);
        assertEquals(2, without.code());
        assertTrue(without.err().contains("x-decoder `example-reverse` is not registered"), without.err());

        Repo.Run with = Repo.cli("decode", "--json", "-p", "31", "--decoders", dir.toString(),
                "--plugin", jar.toString(), hex);
        assertEquals(0, with.code(), with.err());
        JsonNode e = JSON.readTree(with.out());
        assertEquals("example.new", e.at("/event").asText());
        assertEquals("abc", e.at("/attrs/name").asText());
        assertEquals("030201", e.at("/attrs/secret").asText());

        Repo.Run table = Repo.cli("decoders", "--plugin", jar.toString());
        assertTrue(table.out().contains("example-reverse") && table.out().contains("ExamplePlugin"),
                table.out());
    }

    /** Compiles a one-class DecoderProvider and packs it with its ServiceLoader entry. */
    private Path buildPluginJar() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/example"));
        Files.writeString(src.resolve("ExamplePlugin.java"), """
                package example;

                import org.nlsniff.decode.DecoderProvider;

                public final class ExamplePlugin implements DecoderProvider {
                    @Override
                    public void register(Registrar r) {
                        r.attribute("example-reverse", (ctx, start, end) -> {
                            StringBuilder sb = new StringBuilder();
                            for (int i = end - 1; i >= start; i--) {
                                sb.append(String.format("%02x", ctx.buffer().get(i) & 0xff));
                            }
                            return ctx.json().textNode(sb.toString());
                        });
                    }
                }
                """);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.resolve("ExamplePlugin.java").toString());
        assertEquals(0, rc, "javac");
        Path jar = tmp.resolve("example-plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "example/ExamplePlugin.class",
                    Files.readAllBytes(classes.resolve("example/ExamplePlugin.class")));
            put(out, "META-INF/services/org.nlsniff.decode.DecoderProvider",
                    "example.ExamplePlugin\n".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] data) throws IOException {
        out.putNextEntry(new JarEntry(name));
        ((OutputStream) out).write(data);
        out.closeEntry();
    }

}
