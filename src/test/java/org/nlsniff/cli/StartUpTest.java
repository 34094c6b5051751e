package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import org.nlsniff.app.Decoding;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.testing.Repo;

/**
 * The start-up shortcuts (specs built and the decoding path warmed on another thread while
 * picocli parses, subcommands registered only when the arguments may need them) change nothing
 * a user sees.
 */
class StartUpTest {
    @TempDir Path tmp;

    @Test
    void thePrefetchedChainIsTheOneTheCommandGetsAndTheWarmUpSeesIt() throws Exception {
        CompletableFuture<SpecDecoder> warmed = new CompletableFuture<>();
        Decoding.prefetchBundled(warmed::complete);
        SpecDecoder got = Decoding.chainPrefetched(List.of(), List.of()).decoder();
        assertSame(got, warmed.get(30, TimeUnit.SECONDS));
        // Taken once: the next build is a fresh one.
        assertNotSame(got, Decoding.chainPrefetched(List.of(), List.of()).decoder());
    }

    @Test
    void extraSpecDirectoriesAreNeverAnsweredWithThePrefetchedChain() throws Exception {
        Files.writeString(tmp.resolve("extra.yaml"), "name: extra\nprotonum: 31\n");
        Decoding.prefetchBundled(null);
        SpecDecoder withExtra = Decoding.chainPrefetched(List.of(tmp), List.of()).decoder();
        assertTrue(withExtra.spec().family("extra") != null, "the extra directory was read");
    }

    @Test
    void warmUpDecodesEveryBundledDatagramWithoutAProblem() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        long datagrams;
        try (var in = Main.class.getResourceAsStream("warmup.hex")) {
            datagrams = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        }
        assertEquals(11, datagrams);
        assertEquals(11, Main.warmUp(d), "one message per datagram, all decoded");
    }

    @Test
    void aReplayAfterTheWarmUpIsTheGoldenOutput() throws Exception {
        Main.warmUp(Decoding.build(List.of()));
        Repo.Run r = Repo.cli("-r", Repo.samples().resolve("seed/seed.pcap").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(Repo.samples().resolve("seed/seed.pcap.txt")), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "plain replay, no picocli",
        "through picocli (an option the plain parser leaves to it), with the warm-up",
        "through picocli, specs from a directory (the prefetched chain is not used)"})
    void theRealEntryPointInItsOwnProcessGivesTheGoldenOutput(String how) throws Exception {
        // main() is where the prefetch and the warm-up start: run it as a user does.
        String seed = Repo.samples().resolve("seed/seed.pcap").toString();
        List<String> args = switch (how.substring(0, 10)) {
            case "plain repl" -> List.of("-r", seed, "--json");
            case "through pi" -> how.contains("directory")
                    ? List.of("-r", seed, "--json", "--decoders", Repo.root().resolve("decoders").toString())
                    : List.of("--read", seed, "--json", "-c", "1000000", "--tui");
            default -> throw new IllegalArgumentException(how);
        };
        Path out = tmp.resolve("out.json");
        Path err = tmp.resolve("err.txt");
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(err));
        if (!how.contains("--tui") && !args.contains("--tui")) {
            assertEquals("", Files.readString(err));
        }
        assertEquals(Files.readString(Repo.samples().resolve("seed/seed.pcap.jsonl")),
                Files.readString(out));
    }

    @Test
    void aFileNameThisLocaleCannotMapIsAUsageErrorNotAStackTrace() throws Exception {
        // Under LC_ALL=C the JVM cannot make a path of a non-ASCII argument: picocli says so.
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "-r", tmp.resolve("\u00fcn\u00ef.pcap").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LANG");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String e = Files.readString(err);
        assertEquals(2, p.exitValue(), e);
        assertEquals(1, e.strip().lines().count(), e);
        assertTrue(e.startsWith("nlsniff: ") && !e.contains("\tat "), e);
    }

    /** Every option field of a parsed command, as text, for comparing two parses. */
    private static String options(Main m) throws IllegalAccessException {
        StringBuilder sb = new StringBuilder();
        for (java.lang.reflect.Field f : Main.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(CommandLine.Option.class)) {
                f.setAccessible(true);
                sb.append(f.getName()).append('=').append(f.get(m)).append('\n');
            }
        }
        sb.append("decoders=").append(m.decoderOptions.decoderDirs)
                .append(" plugins=").append(m.decoderOptions.plugins);
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-r f.pcap", "-r f.pcap --json", "--read=f.pcap -t -c 5",
        "-c 0 --timestamps --read x.pcapng --json", "-r -", "--json -r f --count=007",
        "--read=a=b.pcap", "-c 999999999999999999 -r f"})
    void plainReplaysAreParsedAsPicocliParsesThem(String line) throws Exception {
        String[] args = line.split(" ");
        PrintWriter err = new PrintWriter(new java.io.StringWriter());
        Main plain = Main.plainReplay(args, java.io.OutputStream.nullOutputStream(), err);
        assertNotNull(plain, "a plain replay: " + line);
        Main picocli = new Main(java.io.OutputStream.nullOutputStream(), err);
        new CommandLine(picocli).parseArgs(args);
        assertEquals(options(picocli), options(plain), line);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "-r", "--json", "-r a -r b", "-c -1 -r f", "-rf.pcap", "--read=",
        "-r f --tui", "-r f --count=x", "--help", "-r f --help", "decode 1400", "-r -x",
        "-r f --json=true", "-r f -c 1e3", "-r f -tc 3", "-r f --no-names",
        "-c 9999999999999999999 -r f", "-r f -c", "-r @seed.pcap", "@args", "-r f @more"})
    void everythingElseIsLeftToPicocli(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertNull(Main.plainReplay(args, java.io.OutputStream.nullOutputStream(),
                new PrintWriter(new java.io.StringWriter())), line);
    }

    @Test
    void subcommandsHelpAndMistakesStillFindTheWholeCommandTree() {
        Repo.Run help = Repo.cli("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Commands:") && help.out().contains("decoders")
                && help.out().contains("bench") && help.out().contains("decode "), help.out());
        Repo.Run table = Repo.cli("decoders");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("RTM_NEWLINK"), table.out());
        Repo.Run sub = Repo.cli("decode", "--help");
        assertEquals(0, sub.code());
        assertTrue(sub.out().contains("Usage: nlsniff decode"), sub.out());
        Repo.Run subTypo = Repo.cli("decode", "--jsno");
        assertEquals(2, subTypo.code());
        assertTrue(subTypo.err().endsWith("(see nlsniff decode --help)" + System.lineSeparator()),
                subTypo.err());
        Repo.Run typo = Repo.cli("decoder");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("Unmatched argument at index 0: 'decoder'"), typo.err());
        Repo.Run version = Repo.cli("-V");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("nlsniff "), version.out());
    }
}
