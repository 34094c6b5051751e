package org.nlsniff.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nlsniff.testing.Netns;
import org.nlsniff.testing.Repo;

/**
 * The TUI in a real terminal: tmux starts {@code nlsniff --tui}, keys are sent, and the pane is
 * read as a person would see it. Needs tmux (CI installs it; required there), skipped elsewhere
 * without it.
 */
class TuiTmuxTest {
    private static final String SESSION = "nlt" + Netns.randomSuffix();

    private static void assumeTmux() {
        try {
            Netns.run("tmux", "-V");
        } catch (IOException | RuntimeException e) {
            if (Netns.kernelTestsRequired()) {
                fail("tmux is required in CI: " + e.getMessage());
            }
            Assumptions.assumeTrue(false, "tmux not installed: TUI terminal test skipped");
        }
    }

    private static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.nlsniff.cli.Main", "--tui"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void start(List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "new-session", "-d", "-s", SESSION,
                "-x", "80", "-y", "24", "--"));
        cmd.addAll(command);
        Netns.run(cmd, null);
    }

    private static String pane() throws IOException {
        return Netns.run("tmux", "capture-pane", "-p", "-t", SESSION);
    }

    private static void keys(String... keys) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "send-keys", "-t", SESSION));
        cmd.addAll(List.of(keys));
        Netns.run(cmd, null);
    }

    private static String waitFor(Predicate<String> p, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = pane();
            if (p.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; the pane shows:\n" + last);
    }

    private static boolean sessionAlive() {
        try {
            Netns.run("tmux", "has-session", "-t", SESSION);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void kill() {
        try {
            Netns.run("tmux", "kill-session", "-t", SESSION);
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }

    @Test
    void replaySeedFilterDetailAndQuitInARealTerminal() throws Exception {
        assumeTmux();
        try {
            start(javaCommand("-r", Repo.samples().resolve("seed/seed.pcapng").toString()));
            String p = waitFor(s -> s.contains("89/89 frames (end)") && s.contains("Deleted nsid 0"),
                    "the replay to finish and be drawn");
            assertTrue(p.contains("TIME") && p.contains("q quit"), p);
            keys("/", "nsid:0", "Enter");
            p = waitFor(s -> s.contains("filter: nsid:0 (44 match)"), "the filter");
            assertFalse(p.lines().skip(2).limit(20).anyMatch(l -> l.contains(" own ")), p);
            keys("Escape");
            // ESC then a key at once reads as Alt+key, as in any terminal: wait for the ESC to
            // be handled (the filter cleared) before the next key, however loaded the machine.
            waitFor(s -> !s.contains("filter: nsid:0"), "the filter to clear");
            Thread.sleep(300);
            keys("/", "event:link.moved", "Enter");
            waitFor(s -> s.contains("(1 match)"), "the moved link");
            keys("Enter");
            p = waitFor(s -> s.contains("leaving: RTM_DELLINK") && s.contains("0000 "),
                    "the detail pane with its hex dump");
            // The bytes are the deletion's (704 bytes, type 17), not the arriving link's.
            assertTrue(p.contains("bytes 704") && p.contains("0000 c0 02 00 00 11 00"), p);
            keys("Escape");
            Thread.sleep(300);
            keys("q");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sessionAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(sessionAlive(), "q quits and the terminal session ends");
        } finally {
            kill();
        }
    }

    /** A damaged capture: the status bar says so, and after q the exit is 2 with one line. */
    @Test
    void aDamagedReplayExitsTwoAfterQuit(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assumeTmux();
        byte[] whole = java.nio.file.Files.readAllBytes(Repo.samples().resolve("seed/seed.pcap"));
        Path cut = tmp.resolve("cut.pcap");
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(whole, 5000));
        Path rc = tmp.resolve("rc");
        Path err = tmp.resolve("err");
        StringBuilder sh = new StringBuilder();
        for (String a : javaCommand("-r", cut.toString())) {
            sh.append('\'').append(a).append("' ");
        }
        sh.append("2>'").append(err).append("'; echo $? > '").append(rc).append('\'');
        try {
            start(List.of("sh", "-c", sh.toString()));
            waitFor(s -> s.contains("truncated"), "the damage in the status bar");
            keys("q");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!java.nio.file.Files.exists(rc) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("2", java.nio.file.Files.readString(rc).strip());
            String e = java.nio.file.Files.readString(err);
            assertTrue(e.contains("cut.pcap: truncated: frame 14"), e);
        } finally {
            kill();
        }
    }

    @Test
    void liveEventsStreamIntoTheView() throws Exception {
        assumeTmux();
        Netns.assumeKernel();
        String v = Netns.ifname("nltv");
        try (Netns ns = Netns.create()) {
            List<String> cmd = new ArrayList<>(ns.execPrefix());
            cmd.addAll(javaCommand());
            start(cmd);
            waitFor(s -> s.contains("live link,addr,route,nsid"), "the live view");
            // The listener joins its groups after the screen is up (on a loaded machine, some
            // time after): change the link until its events show, a second apart.
            ns.ip("link", "add", v, "type", "veth", "peer", "name", v + "p");
            Predicate<String> rows = s -> s.lines().filter(l -> l.contains(v)).count() >= 2;
            String p = pane();
            for (int mtu = 1400; !rows.test(p) && mtu < 1460; mtu++) {
                ns.ip("link", "set", v, "mtu", Integer.toString(mtu));
                for (int i = 0; i < 10 && !rows.test(p); i++) {
                    Thread.sleep(100);
                    p = pane();
                }
            }
            assertTrue(rows.test(p), "live rows; the pane shows:\n" + p);
            assertTrue(p.contains("link.new"), p);
            assertTrue(p.lines().count() <= 24 && p.lines().allMatch(l -> l.length() <= 80), "no tearing:\n" + p);
            keys("q");
        } finally {
            kill();
        }
    }

    /** Reading a file shows a progress bar on stderr when stderr is a terminal. */
    @Test
    void progressBarOnATerminalStderr(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assumeTmux();
        byte[] seed = java.nio.file.Files.readAllBytes(Repo.samples().resolve("seed/seed.pcap"));
        Path big = tmp.resolve("big.pcap");
        try (var out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(big))) {
            out.write(seed, 0, 24);
            for (int i = 0; i < 1500; i++) { // ~40 MB, 130k frames: a few seconds
                out.write(seed, 24, seed.length - 24);
            }
        }
        try {
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", String.join(" ", javaCommand())
                    .replace(" --tui", "") + " -r " + big + " --json > /dev/null; sleep 30"));
            start(cmd);
            String p = waitFor(s -> s.contains("MB/s") && s.contains("frames") && s.contains("ETA"),
                    "the progress bar");
            assertTrue(p.contains("%"), p);
        } finally {
            kill();
        }
    }

    /**
     * A capture damaged after the bar was drawn: the message gets a line of its own (found by
     * an attack on the reader: it was printed on the bar's line, after its ETA).
     */
    @Test
    void aMessageAfterTheProgressBarIsOnALineOfItsOwn(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        assumeTmux();
        byte[] seed = java.nio.file.Files.readAllBytes(Repo.samples().resolve("seed/seed.pcap"));
        Path big = tmp.resolve("damaged.pcap");
        try (var out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(big))) {
            out.write(seed, 0, 24);
            for (int i = 0; i < 1500; i++) {
                out.write(seed, 24, seed.length - 24);
            }
            // a record header claiming 1000 bytes, and 10 of them
            byte[] header = new byte[16];
            java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(8, 1000).putInt(12, 1000);
            out.write(header);
            out.write(new byte[10]);
        }
        try {
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", String.join(" ", javaCommand())
                    .replace(" --tui", "") + " -r " + big + " --json > /dev/null; sleep 30"));
            start(cmd);
            waitFor(s -> s.contains("ETA"), "the progress bar");
            String p = waitFor(s -> s.contains("truncated"), "the message");
            String line = p.lines().filter(l -> l.contains("truncated")).findFirst().orElseThrow();
            assertTrue(line.startsWith("nlsniff: "), "its own line: [" + line + "]\n" + p);
            assertTrue(p.lines().noneMatch(l -> l.contains("ETA")), "the bar is gone:\n" + p);
        } finally {
            kill();
        }
    }
}
