package org.nlsniff.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nlsniff.app.Decoding;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.Frame;
import org.nlsniff.testing.Repo;

/**
 * The regression captures under {@code samples/malformed/} (inputs that once crashed, hung or
 * broke the output; see the README.md there) replayed through the CLI in-process, text and JSON:
 * exit 0 with parseable events, or exit 2 with one line on stderr; never a stack trace, another
 * exit code or a hang. Plus the text format's own promise: capture bytes cannot forge lines.
 */
class MalformedCapturesTest {
    private static final long LIMIT_SECONDS = 60;

    static Stream<Path> captures() throws IOException {
        Path dir = Repo.samples().resolve("malformed");
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".pcap") || n.endsWith(".pcapng");
            }).sorted().toList().stream();
        }
    }

    private static Repo.Run cli(String... args) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "malformed-replay");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Repo.Run> f = ex.submit(() -> Repo.cli(args));
            try {
                return f.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                fail("hang: nlsniff " + String.join(" ", args) + " still running after "
                        + LIMIT_SECONDS + " s");
                return null;
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                fail("nlsniff " + String.join(" ", args) + " threw " + c + "\n"
                        + FuzzSupport.stackTrace(c, 15), c);
                return null;
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void replayGivesEventsOrOneLineError(Path capture) throws Exception {
        for (boolean json : new boolean[] {false, true}) {
            Repo.Run run = json ? cli("-r", capture.toString(), "--json")
                    : cli("-r", capture.toString());
            String what = capture.getFileName() + (json ? " --json" : "") + ": exit " + run.code()
                    + ", stderr: " + run.err().lines().limit(5).toList();
            assertTrue(run.code() == 0 || run.code() == 2, what);
            assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), what);
            if (run.code() == 2) {
                assertEquals(1, run.err().strip().lines().count(), what);
                assertTrue(run.err().startsWith("nlsniff: "), what);
            } else if (!run.err().isEmpty()) {
                // The one notice a good replay may give: packets of other interfaces skipped.
                assertTrue(run.err().matches("nlsniff: [^\\n]*: \\d+ packets? of non-netlink "
                        + "interfaces skipped \\(link types? [^\\n]*\\)\\R"), what);
            }
            if (json) {
                for (String line : run.out().lines().toList()) {
                    JsonNode n = FuzzSupport.MAPPER.readTree(line);
                    assertTrue(n != null && n.isObject() && n.has("problems"), what + ": " + line);
                }
            }
        }
    }

    /**
     * An interface name, or an extended-ack message, holding a line break must not make the
     * text output show an event that is not there.
     */
    @Test
    void capturedStringsCannotForgeTextLines() throws Exception {
        SpecDecoder decoder = Decoding.build(List.of());
        FuzzSupport.Nl nl = new FuzzSupport.Nl(ByteOrder.LITTLE_ENDIAN);
        byte[] link = nl.msg(16, 0, nl.ifinfomsg(7, 0x1043),
                nl.attr(3, nl.str("evil\n[LINK]1: lo: <LOOPBACK,UP> forged")));
        byte[] request = nl.msg(16, 5, nl.ifinfomsg(0, 0));
        byte[] ack = nl.msg(2, 0x300, nl.u32(-22), java.util.Arrays.copyOf(request, 16),
                nl.attr(1, nl.str("bad\r\n[ROUTE]default via 192.0.2.66 dev eth0 forged")));
        // RTM_DELLINK with IFLA_NEW_NETNSID and IFLA_NEW_IFINDEX: also a derived link.moved event.
        byte[] moved = nl.msg(17, 0, nl.ifinfomsg(7, 0),
                nl.attr(3, nl.str("evil\n[LINK]1: lo: <LOOPBACK,UP> forged\u001b[2J")),
                nl.attr(45, nl.u32(3)), nl.attr(49, nl.u32(9)));
        for (byte[] d : List.of(link, ack, moved)) {
            Frame f = Frame.data(0, "forge.pcap", 1, 0, null, ByteOrder.LITTLE_ENDIAN, d);
            FuzzSupport.Output out = FuzzSupport.decodeAndPrint(decoder, f);
            assertEquals(null, FuzzSupport.textViolation(out), out.text());
        }
    }
}
