package org.nlsniff.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Loads the YAML specs (see {@code decoders/README.md}) into a resolved {@link Spec}.
 *
 * <p>The defaults come from the jar's {@code decoders/} resources; each extra directory adds
 * families or replaces a default family of the same name. YAML is read into plain trees (no
 * object construction from tags), so a spec file cannot instantiate arbitrary types. Every
 * problem is a {@link SpecException} naming the file and the place in it.
 */
public final class SpecLoader {
    /**
     * The streaming YAML parser only: building the tree here instead of through an ObjectMapper
     * spares the mapper's start-up (about a third of nlsniff's start-up time).
     */
    private static final class Yaml {
        static final YAMLFactory FACTORY = new YAMLFactory();
    }

    /**
     * The bundled specs as one JSON document made from decoders/*.yaml at build time
     * ({@link SpecCompiler}): the same trees, read without starting a YAML parser (some 50 ms of
     * a short replay's start).
     */
    static final String BUNDLED_JSON = "/decoders/bundled.json";
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);
    /** Spec files nest a few levels; a deeper file is not a spec. */
    private static final int MAX_YAML_DEPTH = 64;
    /**
     * The largest struct or struct member a spec may describe: an attribute's length is a u16
     * (struct nlattr), so no fixed header or struct payload is longer; the bound also keeps every
     * offset sum of a decoder far from int overflow.
     */
    public static final int MAX_STRUCT_SIZE = 65535;
    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Map<String, JsonNode> trees = new LinkedHashMap<>();
    private final Set<String> attributeDecoders;

    /**
     * @param attributeDecoders names of the registered Java attribute decoders, so that
     *     {@code x-decoder} references are checked at load time
     */
    public SpecLoader(Set<String> attributeDecoders) {
        this.attributeDecoders = attributeDecoders;
    }

    /** Loads the specs bundled in the jar (or in target/classes when run from a build). */
    public SpecLoader addDefaults() throws SpecException {
        try (InputStream in = SpecLoader.class.getResourceAsStream(BUNDLED_JSON)) {
            if (in != null) {
                return addBundled(in);
            }
        } catch (IOException e) {
            throw new SpecException("cannot read the bundled decoders: " + e.getMessage());
        }
        // Run from sources without the build step: the YAML files themselves.
        URL url = SpecLoader.class.getResource("/decoders/rt-nsid.yaml");
        if (url == null) {
            throw new SpecException("the bundled decoders/ specs are missing from the class path");
        }
        try {
            URI dir = url.toURI();
            if ("jar".equals(dir.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(dir, Map.of())) {
                    addDirectory(fs.getPath("/decoders"), p -> "jar:decoders/" + p.getFileName());
                }
            } else {
                addDirectory(Path.of(dir).getParent(), p -> "jar:decoders/" + p.getFileName());
            }
        } catch (URISyntaxException | IOException e) {
            throw new SpecException("cannot list the bundled decoders: " + e.getMessage());
        }
        return this;
    }

    /** Adds every {@code *.yaml} file of a directory; a family of an existing name replaces it. */
    public SpecLoader addDirectory(Path dir) throws SpecException {
        if (!Files.isDirectory(dir)) {
            throw new SpecException(dir + (Files.exists(dir) ? ": not a directory"
                    : ": no such directory"));
        }
        return addDirectory(dir, Path::toString);
    }

    private SpecLoader addDirectory(Path dir, Function<Path, String> origin) throws SpecException {
        Map<String, String> seenHere = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : readYamlDirectory(dir, origin).entrySet()) {
            addTree(e.getKey(), e.getValue(), seenHere);
        }
        return this;
    }

    /** The build's {@code bundled.json}: {@code {"file.yaml": tree, ...}} in file-name order. */
    private SpecLoader addBundled(InputStream in) throws SpecException, IOException {
        JsonNode all;
        try (JsonParser p = JSON.createParser(in)) {
            all = p.nextToken() == null ? null : node(p, 0);
        }
        if (all == null || !all.isObject()) {
            throw new SpecException(BUNDLED_JSON + ": not an object of spec trees");
        }
        Map<String, String> seenHere = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : all.properties()) {
            addTree("jar:decoders/" + e.getKey(), e.getValue(), seenHere);
        }
        return this;
    }

    private void addTree(String o, JsonNode tree, Map<String, String> seenHere)
            throws SpecException {
        if (tree == null || !tree.isObject() || !tree.path("name").isTextual()) {
            throw new SpecException(o + ": a spec needs a top-level `name`");
        }
        String name = tree.get("name").asText();
        checkPrintable(o, "name", name);
        String prev = seenHere.put(name, o);
        if (prev != null) {
            throw new SpecException(
                    "family " + name + " is defined twice: " + prev + " and " + o);
        }
        trees.put(name, tree);
        families.put(name, new FamilyReader(o, tree).readHeader());
    }

    private static final com.fasterxml.jackson.core.JsonFactory JSON =
            new com.fasterxml.jackson.core.JsonFactory();

    /**
     * The trees of the {@code *.yaml} files of {@code dir} in file-name order, each under the
     * name {@code origin} gives its file (what problems cite; {@link SpecCompiler} writes them
     * to {@code bundled.json} under the file names).
     */
    static Map<String, JsonNode> readYamlDirectory(Path dir, Function<Path, String> origin)
            throws SpecException {
        Map<String, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.yaml")) {
            for (Path p : ds) {
                files.put(p.getFileName().toString(), p);
            }
        } catch (IOException e) {
            throw new SpecException(dir + ": " + e.getMessage());
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Path p : files.values()) {
            String o = origin.apply(p);
            if (!Files.isRegularFile(p)) {
                // Opening a FIFO would wait for a writer forever, a device may never end.
                throw new SpecException(o + ": not a regular file (" + (Files.isDirectory(p)
                        ? "a directory" : "a FIFO, socket or device") + ")");
            }
            try (InputStream in = Files.newInputStream(p)) {
                out.put(o, readYaml(in));
            } catch (IOException e) {
                throw new SpecException(o + ": not valid YAML: " + yamlProblem(e));
            }
        }
        return out;
    }

    /** Resolves all references, lints and returns the table. */
    public Spec build() throws SpecException {
        Map<String, Family> out = new LinkedHashMap<>();
        for (Map.Entry<String, Family> e : families.entrySet()) {
            out.put(e.getKey(), e.getValue());
        }
        // Definitions first (structs and enums may be imported), then sets, then references.
        for (Family f : out.values()) {
            new FamilyReader(f.origin, trees.get(f.name)).readBody(f);
        }
        for (Family f : out.values()) {
            new Resolver(f, out, attributeDecoders).resolve();
        }
        return new Spec(out);
    }

    /** One YAML document as a tree of plain nodes (no tags, no object construction). */
    static JsonNode readYaml(InputStream in) throws IOException {
        try (JsonParser p = Yaml.FACTORY.createParser(in)) {
            return p.nextToken() == null ? null : node(p, 0);
        }
    }

    private static JsonNode node(JsonParser p, int depth) throws IOException {
        if (depth > MAX_YAML_DEPTH) {
            throw new IOException("nested deeper than " + MAX_YAML_DEPTH + " levels");
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    o.set(k, node(p, depth + 1));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(node(p, depth + 1));
                }
                return a;
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> {
                return NODES.textNode(p.getText());
            }
        }
    }

    /** The parser's complaint and where it is: {@code while parsing ... (line 3, column 9)}. */
    static String yamlProblem(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            return firstLine(j.getOriginalMessage()) + " (line " + j.getLocation().getLineNr()
                    + ", column " + j.getLocation().getColumnNr() + ")";
        }
        return firstLine(e.getMessage());
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * Names, labels and prefixes end up in text lines, JSON keys and the decoders table: a line
     * break, an escape sequence or a bidirectional control there could forge or reorder output
     * lines, so a spec holding one (any control character, Unicode format character or line or
     * paragraph separator: more than {@code Event.printable} escapes) is refused.
     */
    static void checkPrintable(String origin, String where, String text) throws SpecException {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!isPlainCharacter(c)) {
                throw new SpecException(origin + ": " + where + ": " + String.format(
                        "character U+%04X is not allowed in a name, label or prefix", c));
            }
            i += Character.charCount(c);
        }
    }

    /**
     * False for controls (Cc), format characters (Cf: bidi marks, zero-width, tags, also beyond
     * the Basic Multilingual Plane), U+2028, U+2029 and a lone surrogate (no character at all).
     */
    static boolean isPlainCharacter(int c) {
        if (c >= 0x20 && c < 0x7f) {
            return true;
        }
        int t = Character.getType(c);
        return t != Character.CONTROL && t != Character.FORMAT && t != Character.SURROGATE
                && t != Character.LINE_SEPARATOR && t != Character.PARAGRAPH_SEPARATOR;
    }

    /** Reads one file's tree into a {@link Family}, checking shape and explicit values. */
    private static final class FamilyReader {
        private final String origin;
        private final JsonNode tree;

        FamilyReader(String origin, JsonNode tree) {
            this.origin = origin;
            this.tree = tree;
        }

        private SpecException err(String where, String what) {
            return new SpecException(origin + ": " + where + ": " + what);
        }

        Family readHeader() throws SpecException {
            JsonNode pn = tree.get("protonum");
            Integer protonum = null;
            if (pn != null && !pn.isNull()) {
                if (!pn.canConvertToInt()) {
                    throw err("protonum", "must be an integer");
                }
                protonum = pn.asInt();
            }
            List<String> imports = new ArrayList<>();
            for (JsonNode i : tree.path("x-import")) {
                imports.add(checked("x-import", i.asText()));
            }
            return new Family(tree.get("name").asText(), protonum,
                    checked("x-object", tree.path("x-object").asText("")),
                    checked("x-label", tree.path("x-label").asText("")),
                    checked("x-type-prefix", tree.path("x-type-prefix").asText("RTM_")), origin,
                    imports);
        }

        private String checked(String where, String text) throws SpecException {
            checkPrintable(origin, where, text);
            return text;
        }

        void readBody(Family f) throws SpecException {
            for (JsonNode d : tree.path("definitions")) {
                String name = text(d, "name", "definitions");
                String type = text(d, "type", "definition " + name);
                String where = "definition " + name;
                if (f.structs.containsKey(name) || f.enums.containsKey(name)) {
                    throw err(where, "defined twice");
                }
                switch (type) {
                    case "struct" -> f.structs.put(name, readStruct(name, d));
                    case "enum", "flags" -> f.enums.put(name, readEnum(name, d, type.equals("flags")));
                    default -> throw err(where, "unknown definition type `" + type + "`");
                }
            }
            for (JsonNode s : tree.path("attribute-sets")) {
                String name = text(s, "name", "attribute-sets");
                if (f.sets.containsKey(name)) {
                    throw err("attribute-set " + name, "defined twice");
                }
                f.sets.put(name, readSet(f.name, name, s));
            }
            for (JsonNode s : tree.path("sub-messages")) {
                String name = text(s, "name", "sub-messages");
                Map<String, SubMessage.Format> formats = new LinkedHashMap<>();
                for (JsonNode fm : s.path("formats")) {
                    String v = text(fm, "value", "sub-message " + name);
                    if (formats.put(v, new SubMessage.Format(v, opt(fm, "fixed-header"),
                            opt(fm, "attribute-set"))) != null) {
                        throw err("sub-message " + name, "format `" + v + "` listed twice");
                    }
                }
                f.subMessages.put(name, new SubMessage(name, formats));
            }
            Set<Integer> values = new HashSet<>();
            for (JsonNode op : tree.path("operations").path("list")) {
                String name = text(op, "name", "operations");
                int value = intValue(op, "operation " + name);
                if (!values.add(value)) {
                    throw err("operation " + name, "value " + value + " used twice");
                }
                // References are resolved later; keep the names in a placeholder operation.
                f.operations.add(new Operation(f, name, value,
                        f.typePrefix + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
                        placeholderStruct(opt(op, "fixed-header")),
                        placeholderSet(opt(op, "attribute-set"))));
            }
            for (JsonNode g : tree.path("mcast-groups").path("list")) {
                String name = text(g, "name", "mcast-groups");
                f.groups.put(name, intValue(g, "mcast-group " + name));
            }
        }

        private StructDef readStruct(String name, JsonNode d) throws SpecException {
            List<Field> members = new ArrayList<>();
            Set<String> names = new HashSet<>();
            int size = 0;
            for (JsonNode m : d.path("members")) {
                String mn = text(m, "name", "struct " + name);
                String where = "struct " + name + " member " + mn;
                ScalarType t = ScalarType.of(text(m, "type", where));
                if (t == null || !(t.width > 0 || t == ScalarType.PAD || t == ScalarType.BINARY)) {
                    throw err(where, "type must be a fixed-width integer, pad or binary");
                }
                JsonNode ln = m.get("len");
                if (t.width == 0 && (ln == null || !ln.isIntegralNumber())) {
                    throw err(where, "pad and binary members need a `len`");
                }
                long len = t.width > 0 ? 0 : ln.asLong();
                if (t.width == 0 && (len <= 0 || len > MAX_STRUCT_SIZE)) {
                    throw err(where, "len " + ln.asText() + " is outside 1.." + MAX_STRUCT_SIZE
                            + " (no netlink struct is larger)");
                }
                if (t != ScalarType.PAD && !names.add(mn)) {
                    throw err(where, "name used twice");
                }
                Field fl = new Field(mn, t, isBigEndian(m, where), opt(m, "enum"),
                        m.path("enum-as-flags").asBoolean(false), opt(m, "display-hint"), null,
                        (int) len);
                members.add(fl);
                size += StructDef.width(fl);
                if (size > MAX_STRUCT_SIZE) {
                    throw err("struct " + name, "larger than " + MAX_STRUCT_SIZE
                            + " bytes at member " + mn + " (no netlink struct is larger)");
                }
            }
            return new StructDef(name, List.copyOf(members), size);
        }

        private EnumDef readEnum(String name, JsonNode d, boolean flags) throws SpecException {
            Map<Long, String> entries = new LinkedHashMap<>();
            Set<String> names = new HashSet<>();
            for (JsonNode e : d.path("entries")) {
                if (!e.isObject()) {
                    throw err("enum " + name, "entries need `name` and explicit `value`");
                }
                String en = text(e, "name", "enum " + name);
                JsonNode v = e.get("value");
                if (v == null || !v.canConvertToLong()) {
                    throw err("enum " + name + " entry " + en, "needs an explicit integer `value`");
                }
                if (!names.add(en)) {
                    throw err("enum " + name + " entry " + en, "name used twice");
                }
                if (entries.put(v.asLong(), en) != null) {
                    throw err("enum " + name + " entry " + en, "value " + v.asLong() + " used twice");
                }
            }
            return new EnumDef(name, flags, entries);
        }

        private AttrSet readSet(String family, String name, JsonNode s) throws SpecException {
            List<Attr> attrs = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Set<Integer> values = new HashSet<>();
            for (JsonNode a : s.path("attributes")) {
                String an = text(a, "name", "attribute-set " + name);
                String where = "attribute-set " + name + " attribute " + an;
                int value = intValue(a, where);
                if (value < 0 || value > 0x3fff) {
                    throw err(where, "value " + value + " is outside 0..16383");
                }
                ScalarType t = ScalarType.of(text(a, "type", where));
                if (t == null || t == ScalarType.PAD) {
                    throw err(where, "unknown type `" + a.path("type").asText() + "`");
                }
                if (!names.add(an)) {
                    throw err(where, "name used twice");
                }
                if (!values.add(value)) {
                    throw err(where, "value " + value + " used twice");
                }
                if ((t == ScalarType.NEST || t == ScalarType.INDEXED_ARRAY)
                        && opt(a, "nested-attributes") == null) {
                    throw err(where, "a " + t.name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', '-') + " needs `nested-attributes`");
                }
                if (a.path("x-struct-array").asBoolean(false)
                        && (t != ScalarType.BINARY || opt(a, "struct") == null)) {
                    throw err(where, "x-struct-array needs type binary and a `struct`");
                }
                if (t == ScalarType.SUB_MESSAGE
                        && (opt(a, "sub-message") == null || opt(a, "selector") == null)) {
                    throw err(where, "a sub-message needs `sub-message` and `selector`");
                }
                attrs.add(new Attr(an, value, t, isBigEndian(a, where), opt(a, "enum"),
                        a.path("enum-as-flags").asBoolean(false), opt(a, "display-hint"),
                        opt(a, "struct"), a.path("multi-attr").asBoolean(false),
                        opt(a, "nested-attributes"), opt(a, "fixed-header"),
                        opt(a, "sub-message"), opt(a, "selector"), opt(a, "x-decoder"),
                        a.path("x-struct-array").asBoolean(false)));
            }
            return new AttrSet(name, family, List.copyOf(attrs));
        }

        private boolean isBigEndian(JsonNode n, String where) throws SpecException {
            String bo = opt(n, "byte-order");
            if (bo == null || bo.equals("host") || bo.equals("little-endian")) {
                // Rtnetlink has no explicitly little-endian fields: "little-endian" in YNL
                // specs means host order on the machines that wrote them.
                return false;
            }
            if (bo.equals("big-endian")) {
                return true;
            }
            throw err(where, "byte-order must be big-endian or host");
        }

        private int intValue(JsonNode n, String where) throws SpecException {
            JsonNode v = n.get("value");
            if (v == null || !v.canConvertToInt()) {
                throw err(where, "needs an explicit integer `value`");
            }
            return v.asInt();
        }

        private String text(JsonNode n, String field, String where) throws SpecException {
            JsonNode v = n.get(field);
            if (v == null || v.isNull() || v.isContainerNode()) {
                throw err(where, "missing `" + field + "`");
            }
            if (field.equals("name") && v.asText().isEmpty()) {
                throw err(where, "empty `name`");
            }
            return checked(where + " " + field, v.asText());
        }

        private String opt(JsonNode n, String field) throws SpecException {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? null : checked(field, v.asText());
        }
    }

    /** Operations are read before sets exist; these carry the referenced names until resolved. */
    static StructDef placeholderStruct(String name) {
        return name == null ? null : new StructDef(name, List.of(), -1);
    }

    static AttrSet placeholderSet(String name) {
        return name == null ? null : new AttrSet(name, null, List.of());
    }
}
