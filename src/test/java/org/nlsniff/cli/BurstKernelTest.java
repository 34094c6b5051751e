package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.testing.Netns;

/**
 * No lost events: inside a throwaway namespace 20,000 IPv6 routes (2001:db8::/32 only) are added
 * and then deleted with {@code ip -batch} on a veth link while nlsniff listens with {@code --json}
 * to a file, and {@code ip monitor route} listens beside it. Every add and every delete must
 * arrive, with no overrun. Root only; required in CI.
 */
class BurstKernelTest {
    private static final int ROUTES = 20_000;
    @TempDir Path tmp;

    @Test
    void twentyThousandRoutesAddedAndDeletedAllArrive() throws Exception {
        Netns.assumeKernel();
        String v = Netns.ifname("nltv");
        try (Netns l = Netns.create()) {
            l.ip("link", "add", v, "type", "veth", "peer", "name", v + "p");
            l.ip("link", "set", v, "up");
            l.ip("link", "set", v + "p", "up");
            Path out = tmp.resolve("burst.jsonl");
            Path ipOut = tmp.resolve("ipmonitor.txt");
            Process p = LiveKernelTest.startListener(List.of(), out, tmp.resolve("burst.err"),
                    "--netns", l.name(), "--groups", "route");
            List<String> ipCmd = new ArrayList<>(l.execPrefix());
            ipCmd.addAll(List.of("ip", "monitor", "route"));
            Process ip = new ProcessBuilder(ipCmd).redirectOutput(ipOut.toFile())
                    .redirectErrorStream(true).start();
            try {
                Thread.sleep(500); // ip monitor has no "listening" line
                StringBuilder add = new StringBuilder();
                StringBuilder del = new StringBuilder();
                for (int i = 0; i < ROUTES; i++) {
                    String prefix = String.format("2001:db8:%x:%x::/64", 0x100 + i / 0x10000, i % 0x10000);
                    add.append("route add ").append(prefix).append(" dev ").append(v).append('\n');
                    del.append("route del ").append(prefix).append(" dev ").append(v).append('\n');
                }
                long t0 = System.nanoTime();
                l.ipBatch(add.toString());
                l.ipBatch(del.toString());
                System.out.printf("burst: %d adds and %d deletes took %.2f s in the kernel%n", ROUTES,
                        ROUTES, (System.nanoTime() - t0) / 1e9);
                waitForCount(out, "\"route.del\"", ROUTES, 30);
            } finally {
                Thread.sleep(500);
                Netns.run("kill", "-TERM", Long.toString(p.pid()));
                ip.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("nlsniff did not exit");
                }
                ip.waitFor(5, TimeUnit.SECONDS);
            }
            Set<String> added = new HashSet<>();
            Set<String> deleted = new HashSet<>();
            int overruns = 0;
            int drops = 0;
            try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("\"event\":\"overrun\"")) {
                        overruns++;
                    } else if (line.contains("\"event\":\"dropped\"")) {
                        drops++;
                    } else if (line.contains("\"dst\":\"2001:db8:1")) {
                        String dst = line.replaceAll("^.*\"dst\":\"([^\"]+)\".*$", "$1");
                        if (line.contains("\"event\":\"route.new\"")) {
                            added.add(dst);
                        } else if (line.contains("\"event\":\"route.del\"")) {
                            deleted.add(dst);
                        }
                    }
                }
            }
            long ipAdds = Files.readAllLines(ipOut).stream().filter(s -> s.startsWith("2001:db8:1")).count();
            long ipDels = Files.readAllLines(ipOut).stream().filter(s -> s.startsWith("Deleted 2001:db8:1")).count();
            System.out.printf("burst: nlsniff saw %d adds, %d deletes, %d overruns, %d drops; "
                    + "ip monitor route saw %d adds, %d deletes%n", added.size(), deleted.size(),
                    overruns, drops, ipAdds, ipDels);
            assertEquals(0, overruns, "overruns");
            assertEquals(0, drops, "drops");
            assertEquals(ROUTES, added.size(), "distinct prefixes added");
            assertEquals(ROUTES, deleted.size(), "distinct prefixes deleted");
            assertTrue(ipAdds + ipDels > 0, "ip monitor heard the burst too");
        }
    }

    private static void waitForCount(Path out, String needle, int want, int seconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            long n;
            try (var lines = Files.lines(out)) {
                n = lines.filter(s -> s.contains(needle)).count();
            }
            if (n >= want) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /**
     * A consumer that stops reading ({@code nlsniff --json | (sleep 5; cat)}): memory stays
     * bounded by the hand-off queue, and what could not be written is counted in-band: the route
     * events seen plus the drop counts account for every datagram.
     */
    @Test
    void slowConsumerGetsCountedDropsNeverSilentLoss() throws Exception {
        Netns.assumeKernel();
        String v = Netns.ifname("nltv");
        int routes = 5_000;
        try (Netns l = Netns.create()) {
            l.ip("link", "add", v, "type", "veth", "peer", "name", v + "p");
            l.ip("link", "set", v, "up");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "org.nlsniff.cli.Main", "--json",
                    "--netns", l.name(), "--groups", "route", "--queue", "200"));
            Path err = tmp.resolve("slow.err");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(err).contains("listening on") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            StringBuilder add = new StringBuilder();
            for (int i = 0; i < routes; i++) {
                add.append(String.format("route add 2001:db8:200:%x::/64 dev %s%n", i, v));
            }
            l.ipBatch(add.toString()); // nobody reads nlsniff's stdout meanwhile
            Thread.sleep(2000);
            if (!p.isAlive()) {
                fail("nlsniff exited early (" + p.exitValue() + "): " + Files.readString(err));
            }
            Netns.run("kill", "-TERM", Long.toString(p.pid()));
            String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            long seen = all.lines().filter(s -> s.contains("\"event\":\"route.new\"")
                    && s.contains("\"dst\":\"2001:db8:200:")).count();
            long dropped = all.lines().filter(s -> s.contains("\"event\":\"dropped\""))
                    .mapToLong(s -> Long.parseLong(s.replaceAll("^.*\"count\":(\\d+).*$", "$1"))).sum();
            System.out.printf("slow consumer: %d route events written, %d counted as dropped%n", seen, dropped);
            assertTrue(dropped > 0, "the stalled output must have caused counted drops");
            assertTrue(seen + dropped >= routes, "every datagram is either written or counted: "
                    + seen + " + " + dropped);
        }
    }
}
