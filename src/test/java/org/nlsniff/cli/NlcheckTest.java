package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nlsniff.testing.Repo;

/**
 * The shared verification tool ({@code ../shared/tools/nlcheck.py}, an independent decoder of
 * the recorded bytes) on nlsniff's JSON for pcap and pcapng, and on its text against ip's own
 * printer replayed on the same bytes. Needs python3 and ../shared (CI has both: required there).
 */
class NlcheckTest {
    @TempDir Path tmp;

    private static Path tool() {
        Path shared = Repo.shared();
        Path tool = shared == null ? null : shared.resolve("tools/nlcheck.py");
        // The shared tools sit beside a checkout on the project's machines (and in CI), not in a
        // plain clone elsewhere; the same oracles' data is also checked from samples/ by
        // IpMonitorOracleTest and TsharkDifferentialTest, which never skip.
        Assumptions.assumeTrue(tool != null && Files.exists(tool),
                "../shared/tools/nlcheck.py not beside this checkout: skipped");
        return tool;
    }

    private static String python(Path tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", tool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("nlcheck timed out");
        }
        assertEquals(0, p.exitValue(), "nlcheck " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    @ParameterizedTest
    @CsvSource({"seed, pcap", "seed, pcapng", "routes, pcap", "routes, pcapng", "kinds, pcapng",
        "nsid, pcapng", "nsid, pcap"})
    void jsonMatchesTheRecordedBytes(String scenario, String format) throws Exception {
        Path tool = tool();
        Path capture = Repo.samples().resolve(scenario + "/" + scenario + "." + format);
        Repo.Run run = Repo.cli("-r", capture.toString(), "--json");
        assertEquals(0, run.code(), run.err());
        Path out = tmp.resolve("out.jsonl");
        Files.writeString(out, run.out());
        python(tool, "file", capture.toString(), out.toString());
    }

    /**
     * Text against {@code ipmonitor.replay.txt}. In the nsid scenario ip resolved interface
     * names of other namespaces on the replaying host ({@code dev ifb0} for a link the capture
     * names nlhin1), so only part of its lines can be identical; the bytes say we are right.
     */
    @ParameterizedTest
    @CsvSource({"seed, 1.0", "routes, 1.0", "kinds, 1.0", "nsid, 0.6"})
    void textMatchesIpsOwnPrinter(String scenario, String minFraction) throws Exception {
        Path tool = tool();
        Path dir = Repo.samples().resolve(scenario);
        Repo.Run run = Repo.cli("-r", dir.resolve(scenario + ".pcap").toString());
        assertEquals(0, run.code(), run.err());
        Path out = tmp.resolve("out.txt");
        Files.writeString(out, run.out());
        Path ref = Repo.shared().resolve("samples-raw/" + scenario);
        python(tool, "text", ref.toString(), out.toString(), "--min-fraction", minFraction);
    }
}
