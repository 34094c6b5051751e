package org.nlsniff.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nlsniff.cli.Main;

/** Paths of the repository and a way to run the CLI in-process with captured output. */
public final class Repo {
    private Repo() {}

    /** The repository root (Maven runs tests there). */
    public static Path root() {
        String env = System.getenv("NLSNIFF_REPO");
        return Path.of(env != null ? env : System.getProperty("user.dir")).toAbsolutePath();
    }

    public static Path samples() {
        return root().resolve("samples");
    }

    /** ../shared beside the repository, or null when this checkout has none. */
    public static Path shared() {
        Path p = root().resolve("../shared").normalize();
        return Files.isDirectory(p) ? p : null;
    }

    /** Result of one CLI run. */
    public record Run(int code, String out, String err) {}

    public static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = Main.run(args, out, new PrintWriter(err, true));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }
}
