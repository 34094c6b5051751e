package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nlsniff.testing.Repo;

/**
 * Every capture under samples/ decoded to text and to JSON lines and compared with the expected
 * files beside it ({@code X.pcap} → {@code X.pcap.txt}, {@code X.pcap.jsonl}). Run with
 * {@code -Dsamples.bless=true} to rewrite the expected files, then review the diff.
 */
class GoldenSamplesTest {
    private static final boolean BLESS = Boolean.getBoolean("samples.bless");

    static Stream<Path> captures() throws IOException {
        try (Stream<Path> s = Files.walk(Repo.samples())) {
            List<Path> all = s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".hex"))
                        && !p.toString().contains("/malformed/");
            }).sorted().toList();
            assertFalse(all.isEmpty(), "no captures under " + Repo.samples());
            return all.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void textOutputMatchesExpected(Path capture) throws IOException {
        compare(capture, ".txt", args(capture, false));
    }

    /** Captures are read with -r; hand-built hex fixtures with the decode subcommand. */
    private static String[] args(Path capture, boolean json) {
        boolean hex = capture.toString().endsWith(".hex");
        List<String> a = new java.util.ArrayList<>(hex ? List.of("decode", "-f", capture.toString())
                : List.of("-r", capture.toString()));
        if (json) {
            a.add("--json");
        }
        return a.toArray(String[]::new);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void jsonOutputMatchesExpected(Path capture) throws IOException {
        compare(capture, ".jsonl", args(capture, true));
    }

    private static void compare(Path capture, String ext, String... args) throws IOException {
        Repo.Run run = Repo.cli(args);
        assertEquals(0, run.code(), "exit code; stderr: " + run.err());
        Path expected = capture.resolveSibling(capture.getFileName() + ext);
        if (BLESS) {
            Files.writeString(expected, run.out(), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), run.out(),
                "output differs from " + Repo.root().relativize(expected)
                        + " (rerun with -Dsamples.bless=true to accept a change, then review the diff)");
    }
}
