package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.testing.Netns;

/**
 * The blog scenario against the real kernel: nlsniff listens live ({@code --json}) inside a
 * throwaway namespace while a veth pair is created there, one end moved into a second throwaway
 * namespace, addresses and a route configured, and everything torn down. Requires root (skips
 * with a message elsewhere, fails when {@code NLSNIFF_KERNEL_TESTS=required}).
 */
class LiveKernelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    @Test
    void blogScenarioArrivesInOrderWithValues() throws Exception {
        Netns.assumeKernel();
        String v0 = Netns.ifname("nltv");
        String v1 = Netns.ifname("nltw");
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Path out = tmp.resolve("live.jsonl");
            Process p = startListener(a, out, tmp.resolve("live.err"));
            try {
                a.ip("link", "add", v0, "type", "veth", "peer", "name", v1);
                a.ip("link", "set", v1, "netns", b.name());
                a.ip("addr", "add", "198.51.100.1/24", "dev", v0);
                b.ip("addr", "add", "198.51.100.2/24", "dev", v1);
                a.ip("-6", "addr", "add", "2001:db8:1::1/64", "dev", v0, "nodad");
                a.ip("link", "set", v0, "up");
                b.ip("link", "set", v1, "up");
                a.ip("route", "add", "203.0.113.0/24", "via", "198.51.100.2", "dev", v0);
                a.ip("route", "del", "203.0.113.0/24", "via", "198.51.100.2", "dev", v0);
                a.ip("link", "del", v0);
                waitForLine(out, "\"event\":\"link.del\"", v0);
            } finally {
                p.destroy(); // SIGTERM: nlsniff flushes and exits
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("nlsniff did not exit on SIGTERM");
                }
            }
            List<JsonNode> ev = read(out);
            int nsidOfB = Integer.parseInt(a.ip("netns", "list-id").lines()
                    .filter(l -> l.contains(b.name())).findFirst()
                    .orElseThrow(() -> new AssertionError("no nsid for " + b.name() + " in " + a.name()))
                    .replaceAll("^nsid (\\d+).*$", "$1"));

            int i = -1;
            i = expect(ev, i + 1, "link.new with the new veth end", e -> is(e, "link.new")
                    && v1.equals(e.at("/attrs/ifname").asText()));
            int ifindexV1 = ev.get(i).at("/header/ifi_index").asInt();
            i = expect(ev, i + 1, "link.new of the other end", e -> is(e, "link.new")
                    && v0.equals(e.at("/attrs/ifname").asText())
                    && "veth".equals(e.at("/attrs/linkinfo/kind").asText()));
            int ifindexV0 = ev.get(i).at("/header/ifi_index").asInt();
            i = expect(ev, i + 1, "link.del of the moved end carrying new-netnsid and new-ifindex",
                    e -> is(e, "link.del") && v1.equals(e.at("/attrs/ifname").asText())
                            && e.at("/attrs/new_netnsid").isInt()
                            && e.at("/attrs/new_ifindex").isInt());
            JsonNode moved = ev.get(i);
            assertEquals(nsidOfB, moved.at("/attrs/new_netnsid").asInt(), "new_netnsid");
            assertEquals(ifindexV1, moved.at("/header/ifi_index").asInt());
            assertTrue(moved.at("/summary").asText().contains("new-ifindex "
                    + moved.at("/attrs/new_ifindex").asInt()), moved.at("/summary").asText());
            i = expect(ev, i + 1, "addr.new 198.51.100.1/24 on " + v0, e -> is(e, "addr.new")
                    && "198.51.100.1".equals(e.at("/attrs/local").asText())
                    && e.at("/header/ifa_prefixlen").asInt() == 24
                    && e.at("/header/ifa_index").asInt() == ifindexV0
                    && e.at("/summary").asText().contains(v0));
            i = expect(ev, i + 1, "addr.new 2001:db8:1::1/64", e -> is(e, "addr.new")
                    && "2001:db8:1::1".equals(e.at("/attrs/address").asText())
                    && e.at("/header/ifa_prefixlen").asInt() == 64
                    && e.at("/attrs/flags").toString().contains("NODAD"));
            i = expect(ev, i + 1, "route.new 203.0.113.0/24 via 198.51.100.2 dev " + v0,
                    e -> is(e, "route.new") && "203.0.113.0".equals(e.at("/attrs/dst").asText())
                            && e.at("/header/rtm_dst_len").asInt() == 24
                            && "198.51.100.2".equals(e.at("/attrs/gateway").asText())
                            && e.at("/attrs/oif").asInt() == ifindexV0
                            && e.at("/attrs/table").asInt() == 254
                            && e.at("/summary").asText().startsWith(
                                    "203.0.113.0/24 via 198.51.100.2 dev " + v0));
            i = expect(ev, i + 1, "route.del of it", e -> is(e, "route.del")
                    && "203.0.113.0".equals(e.at("/attrs/dst").asText()));
            expect(ev, i + 1, "link.del of " + v0, e -> is(e, "link.del")
                    && v0.equals(e.at("/attrs/ifname").asText()));
            for (JsonNode e : ev) {
                assertNull(e.get("frame").numberValue(), "live frames have no number");
                assertEquals("live", e.get("source").asText());
                assertTrue(e.get("nsid").isNull(), "all events come from the listener's namespace");
                assertEquals(0, e.get("problems").size(), "problems: " + e);
            }
        }
    }

    private static boolean is(JsonNode e, String event) {
        return event.equals(e.path("event").asText());
    }

    private static int expect(List<JsonNode> ev, int from, String what, Predicate<JsonNode> p) {
        for (int i = from; i < ev.size(); i++) {
            if (p.test(ev.get(i))) {
                return i;
            }
        }
        StringBuilder sb = new StringBuilder("not found after event " + from + ": " + what + "\n");
        ev.forEach(e -> sb.append("  ").append(e.path("event").asText()).append(' ')
                .append(e.path("summary").asText()).append('\n'));
        throw new AssertionError(sb.toString());
    }

    static Process startListener(Netns ns, Path out, Path err) throws IOException, InterruptedException {
        return startListener(ns.execPrefix(), out, err);
    }

    /**
     * Starts {@code nlsniff --json ARGS} (after {@code prefix}, e.g. {@code ip netns exec NS}) and
     * waits for its "listening on" line on stderr.
     */
    static Process startListener(List<String> prefix, Path out, Path err, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.nlsniff.cli.Main", "--json"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(err) && Files.readString(err).contains("listening on")) {
                return p;
            }
            if (!p.isAlive()) {
                fail("nlsniff exited early: " + Files.readString(err));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("nlsniff did not start listening: " + Files.readString(err));
    }

    static void waitForLine(Path out, String... needles) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                boolean all = true;
                for (String n : needles) {
                    all &= line.contains(n);
                }
                if (all) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    static List<JsonNode> read(Path out) throws IOException {
        List<JsonNode> ev = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(out),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                ev.add(JSON.readTree(line));
            }
        }
        assertNotNull(ev);
        return ev;
    }
}
