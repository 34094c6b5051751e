package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void theRealEntryPointInItsOwnProcessGivesTheGoldenOutput() throws Exception {
        // main() is where the prefetch and the warm-up start: run it as a user does.
        Path out = tmp.resolve("out.json");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-r", Repo.samples().resolve("seed/seed.pcap").toString(),
                "--json")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(err));
        assertEquals("", Files.readString(err));
        assertEquals(Files.readString(Repo.samples().resolve("seed/seed.pcap.jsonl")),
                Files.readString(out));
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
        Repo.Run typo = Repo.cli("decoder");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("Unmatched argument at index 0: 'decoder'"), typo.err());
        Repo.Run version = Repo.cli("-V");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("nlsniff "), version.out());
    }
}
