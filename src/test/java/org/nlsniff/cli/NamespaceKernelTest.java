package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.testing.Netns;
import org.nlsniff.testing.Repo;

/**
 * Namespaces against the real kernel. The listener runs with {@code --netns L} inside a throwaway
 * namespace L (so nothing of the host's own traffic is involved); a second throwaway namespace D
 * plays the blog's "demo". Root only; required in CI.
 */
class NamespaceKernelTest {
    @TempDir Path tmp;

    private Process listen(Path out, String... args) throws IOException, InterruptedException {
        return LiveKernelTest.startListener(List.of(), out,
                out.resolveSibling(out.getFileName() + ".err"), args);
    }

    private static List<JsonNode> stop(Process p, Path out) throws Exception {
        Thread.sleep(300); // let the last notifications arrive
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("nlsniff did not exit on SIGTERM");
        }
        return LiveKernelTest.read(out);
    }

    private static int nsidOf(Netns in, Netns of) throws IOException {
        for (String l : in.ip("netns", "list-id").split("\n")) {
            if (l.contains("(iproute2 netns name: " + of.name() + ")")) {
                return Integer.parseInt(l.replaceAll("^nsid (\\d+).*$", "$1"));
            }
        }
        throw new AssertionError(of.name() + " has no nsid in " + in.name());
    }

    private static JsonNode find(List<JsonNode> ev, String what, Predicate<JsonNode> p) {
        return ev.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError(
                "no " + what + " in:\n" + summaries(ev)));
    }

    private static String summaries(List<JsonNode> ev) {
        StringBuilder sb = new StringBuilder();
        ev.forEach(e -> sb.append("  ").append(e.path("nsid")).append(' ').append(e.path("event").asText())
                .append(' ').append(e.path("summary").asText()).append('\n'));
        return sb.toString();
    }

    @Test
    void blogScenarioWithAllNsidGivesOneMoveEachWayWithNamesAndIndexes() throws Exception {
        Netns.assumeKernel();
        String a = Netns.ifname("nltv");
        String b = Netns.ifname("nltw");
        try (Netns l = Netns.create(); Netns d = Netns.create()) {
            Path out = tmp.resolve("all.jsonl");
            Process p = listen(out, "--netns", l.name(), "--all-nsid");
            List<JsonNode> ev;
            try {
                l.ip("link", "add", a, "type", "veth", "peer", "name", b);
                l.ip("link", "set", b, "netns", d.name());
                l.ip("addr", "add", "198.51.100.1/24", "dev", a);
                d.ip("addr", "add", "198.51.100.2/24", "dev", b);
                d.ip("link", "set", b, "up");
                d.ip("link", "set", b, "netns", l.name());
                l.ip("link", "set", a, "mtu", "1400"); // own event right after D's
                l.ip("link", "del", a);
            } finally {
                ev = stop(p, out);
            }
            int dNsid = nsidOf(l, d);
            String all = summaries(ev);
            List<JsonNode> moves = ev.stream().filter(e -> "link.moved".equals(e.path("event").asText())).toList();
            assertEquals(2, moves.size(), all);
            JsonNode there = moves.get(0);
            assertEquals(b, there.at("/attrs/ifname").asText());
            assertEquals(l.name(), there.at("/attrs/from/netns").asText(), there.toString());
            assertTrue(there.at("/attrs/from/nsid").isNull());
            assertEquals(d.name(), there.at("/attrs/to/netns").asText(), there.toString());
            assertEquals(dNsid, there.at("/attrs/to/nsid").asInt());
            assertTrue(there.at("/attrs/joined").asBoolean(), there.toString());
            assertTrue(there.at("/summary").asText().matches(b + ": " + l.name() + " ifindex \\d+ -> "
                    + d.name() + " ifindex \\d+"), there.at("/summary").asText());
            JsonNode back = moves.get(1);
            assertEquals(d.name(), back.at("/attrs/from/netns").asText(), back.toString());
            assertEquals(dNsid, back.at("/attrs/from/nsid").asInt());
            assertEquals(l.name(), back.at("/attrs/to/netns").asText(), back.toString());
            assertTrue(back.at("/attrs/to/nsid").isNull());
            assertTrue(back.at("/attrs/joined").asBoolean(), back.toString());
            assertEquals(there.at("/attrs/to/ifindex").asInt(), back.at("/attrs/from/ifindex").asInt());

            JsonNode del = find(ev, "deletion carrying new-netns", e -> "link.del".equals(e.path("event").asText())
                    && e.at("/attrs/new_netnsid").isIntegralNumber() && e.get("nsid").isNull());
            assertEquals(dNsid, del.at("/attrs/new_netnsid").asInt());
            assertEquals(d.name(), del.at("/attrs/new_netns").asText(), del.toString());
            assertTrue(del.at("/summary").asText().contains("new-netns " + d.name() + " new-ifindex "),
                    del.at("/summary").asText());

            JsonNode inside = find(ev, "address event from inside D", e -> "addr.new".equals(e.path("event").asText())
                    && "198.51.100.2".equals(e.at("/attrs/local").asText()));
            assertEquals(dNsid, inside.get("nsid").asInt());
            assertEquals(d.name(), inside.get("netns").asText());
            assertTrue(inside.at("/summary").asText().contains(b), "name from D's own table: " + inside);

            JsonNode own = find(ev, "own mtu change", e -> "link.new".equals(e.path("event").asText())
                    && e.at("/attrs/mtu").asInt() == 1400);
            assertTrue(own.get("nsid").isNull(), "own event after D's is labelled own: " + own);
            assertEquals(l.name(), own.get("netns").asText());
            for (JsonNode e : ev) {
                assertEquals(0, e.path("problems").size(), e.toString());
            }
        }
    }

    @Test
    void netnsListensInsideOnly() throws Exception {
        Netns.assumeKernel();
        String a = Netns.ifname("nltv");
        String c = Netns.ifname("nltx");
        try (Netns l = Netns.create(); Netns other = Netns.create()) {
            Path out = tmp.resolve("inside.jsonl");
            Process p = listen(out, "--netns", l.name());
            List<JsonNode> ev;
            try {
                other.ip("link", "add", c, "type", "veth", "peer", "name", c + "p");
                l.ip("link", "add", a, "type", "veth", "peer", "name", a + "p");
            } finally {
                ev = stop(p, out);
            }
            String all = summaries(ev);
            assertTrue(all.contains(a), all);
            assertFalse(all.contains(c), "an event of another namespace leaked in:\n" + all);
            assertTrue(ev.stream().allMatch(e -> e.get("nsid").isNull()), all);
        }
    }

    @Test
    void sameNameAndIndexInTwoNamespacesAndRenameAfterMove() throws Exception {
        Netns.assumeKernel();
        String same = Netns.ifname("nlts");
        String moved = Netns.ifname("nltm");
        String renamed = Netns.ifname("nltr");
        try (Netns l = Netns.create(); Netns x = Netns.create(); Netns y = Netns.create()) {
            // x and y get nsids in l so --all-nsid hears them
            Path out = tmp.resolve("same.jsonl");
            l.ip("netns", "set", x.name(), "auto");
            l.ip("netns", "set", y.name(), "auto");
            Process p = listen(out, "--netns", l.name(), "--all-nsid");
            List<JsonNode> ev;
            try {
                x.ip("link", "add", same, "type", "veth", "peer", "name", same + "p");
                y.ip("link", "add", same, "type", "veth", "peer", "name", same + "p");
                x.ip("link", "add", moved, "type", "veth", "peer", "name", moved + "p");
                x.ip("link", "set", moved, "netns", y.name());
                y.ip("link", "set", moved, "name", renamed);
                y.ip("link", "set", renamed, "up");
            } catch (IOException | RuntimeException e) {
                p.destroyForcibly();
                throw e;
            }
            int xNsid = nsidOf(l, x);
            int yNsid = nsidOf(l, y);
            x.close(); // deleted with links inside: the kernel sends RTM_DELNSID, no RTM_DELLINK
            ev = stop(p, out);
            String all = summaries(ev);
            long inX = ev.stream().filter(e -> e.path("nsid").asInt(-1) == xNsid
                    && same.equals(e.at("/attrs/ifname").asText())).count();
            long inY = ev.stream().filter(e -> e.path("nsid").asInt(-1) == yNsid
                    && same.equals(e.at("/attrs/ifname").asText())).count();
            assertTrue(inX > 0 && inY > 0, all);
            JsonNode move = find(ev, "move x -> y", e -> "link.moved".equals(e.path("event").asText()));
            assertEquals(x.name(), move.at("/attrs/from/netns").asText(), move.toString());
            assertEquals(y.name(), move.at("/attrs/to/netns").asText(), move.toString());
            JsonNode up = find(ev, "renamed link up in y", e -> e.path("nsid").asInt(-1) == yNsid
                    && renamed.equals(e.at("/attrs/ifname").asText()) && e.at("/header/ifi_flags").toString().contains("UP"));
            assertTrue(up.at("/summary").asText().contains(renamed), up.toString());
            JsonNode gone = find(ev, "nsid.del of the deleted namespace", e -> "nsid.del".equals(
                    e.path("event").asText()) && e.at("/attrs/nsid").asInt() == xNsid);
            assertTrue(gone.get("nsid").isNull(), gone.toString());
            assertTrue(ev.stream().allMatch(e -> e.path("problems").isEmpty()), all);
        }
    }

    @Test
    void dumpFirstThenStreamWithoutGapOrDuplicates() throws Exception {
        Netns.assumeKernel();
        String a = Netns.ifname("nltv");
        try (Netns l = Netns.create()) {
            l.ip("link", "add", a, "type", "veth", "peer", "name", a + "p");
            l.ip("addr", "add", "198.51.100.1/24", "dev", a);
            l.ip("link", "set", a, "up");
            l.ip("route", "add", "203.0.113.0/24", "dev", a);
            Path out = tmp.resolve("dump.jsonl");
            Process p = listen(out, "--netns", l.name(), "--dump");
            List<JsonNode> ev;
            try {
                l.ip("link", "set", a, "mtu", "1400");
            } finally {
                ev = stop(p, out);
            }
            String all = summaries(ev);
            int firstStream = -1;
            for (int i = 0; i < ev.size(); i++) {
                if (!"dump".equals(ev.get(i).path("kind").asText())) {
                    firstStream = i;
                    break;
                }
            }
            assertTrue(firstStream > 0, "dump events first:\n" + all);
            List<JsonNode> dump = ev.subList(0, firstStream);
            find(dump, "dumped veth", e -> a.equals(e.at("/attrs/ifname").asText()));
            find(dump, "dumped address", e -> "198.51.100.1".equals(e.at("/attrs/local").asText()));
            find(dump, "dumped route", e -> "203.0.113.0".equals(e.at("/attrs/dst").asText()));
            find(dump, "dumped loopback", e -> "lo".equals(e.at("/attrs/ifname").asText()));
            List<JsonNode> stream = ev.subList(firstStream, ev.size());
            find(stream, "the change after the dump", e -> e.at("/attrs/mtu").asInt() == 1400);
            assertTrue(ev.stream().noneMatch(e -> "dump".equals(e.path("kind").asText())
                    && e.at("/attrs/mtu").asInt() == 1400), "a change after the dump is not in it");
        }
    }

    @Test
    void sharedNsidCaptureReplaysWithTheMoves() {
        Repo.Run r = Repo.cli("-r", Repo.samples().resolve("nsid/nsid.pcapng").toString());
        assertEquals(0, r.code(), r.err());
        List<String> moves = r.out().lines().filter(l -> l.contains("[MOVE]")).toList();
        assertEquals(List.of(
                "[MOVE] nlhmove0: current ifindex 77 -> nsid 101 ifindex 77",
                "[MOVE] nlhmove0: nsid 101 ifindex 77 -> nsid 102 ifindex 77",
                "[MOVE] nlhmoved: nsid 102 ifindex 77 -> current ifindex 77",
                "[MOVE] nlhmove0: current ifindex 77 -> nsid 102 ifindex 77"), moves);
    }
}
