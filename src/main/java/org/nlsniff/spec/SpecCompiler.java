package org.nlsniff.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Build step (Maven's process-classes phase): reads {@code decoders/*.yaml} and writes their
 * trees as one JSON document, {@code bundled.json}, which {@link SpecLoader#addDefaults} reads
 * instead of the YAML. Nothing but the file format changes: the same trees, in file-name order.
 * Extra directories given with {@code --decoders} are always read as YAML.
 */
public final class SpecCompiler {
    private SpecCompiler() {}

    /** {@code SpecCompiler DECODERS_DIR OUT_FILE}. */
    public static void main(String[] args) throws IOException, SpecException {
        if (args.length != 2) {
            System.err.println("usage: SpecCompiler DECODERS_DIR OUT_FILE");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Map<String, JsonNode> trees = SpecLoader.readYamlDirectory(dir,
                p -> p.getFileName().toString());
        if (trees.isEmpty()) {
            System.err.println("SpecCompiler: no *.yaml in " + dir);
            System.exit(1);
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode all = mapper.createObjectNode();
        trees.forEach(all::set);
        Files.createDirectories(out.toAbsolutePath().getParent());
        mapper.writeValue(out.toFile(), all);
    }
}
