package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nlsniff.testing.Repo;

/**
 * What {@code ip -t monitor all all-nsid} printed live during each recorded scenario
 * ({@code samples/S/ipmonitor.t.txt}) against nlsniff's JSON for the same capture (pcapng, which
 * keeps each datagram's nsid): the same events in the same order, with the same ifindex, ifname
 * (own namespace only: ip resolves names in its own), addresses, prefix lengths, table and nsid;
 * and per-type counts equal to {@code summary.json}.
 */
class IpMonitorOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINE =
            Pattern.compile("^\\[nsid (current|-?\\d+)\\]\\[([A-Z]+)\\](Deleted )?(.*)$");
    private static final Pattern LINK = Pattern.compile("^(\\d+): ([^\\s@:]+)");
    private static final Pattern ADDR = Pattern.compile("^(\\d+): \\S+\\s+inet6? (\\S+?)(?: peer \\S+?)?/(\\d+)");
    private static final Pattern NSID = Pattern.compile("^nsid (-?\\d+)");

    /** One record of ip's output or ours, reduced to what both can say. */
    record Rec(String label, String op, Integer nsid, Map<String, String> fields, String text) {}

    /**
     * Where ip's own printer and ours see the same names (the scenarios recorded in the
     * listener's namespace), our lines are ip's byte for byte, trailing spaces included:
     * every line of ours is one of {@code ipmonitor.replay.txt}'s (but the derived [MOVE]).
     */
    @ParameterizedTest
    @ValueSource(strings = {"seed", "routes"})
    void ownNamespaceLinesAreIpsByteForByte(String scenario) throws IOException {
        Path dir = Repo.samples().resolve(scenario);
        java.util.Set<String> ip = new java.util.HashSet<>(
                Files.readAllLines(dir.resolve("ipmonitor.replay.txt")));
        Repo.Run r = Repo.cli("-r", dir.resolve(scenario + ".pcap").toString());
        assertEquals(0, r.code(), r.err());
        List<String> missing = r.out().lines().filter(l -> !l.startsWith("[MOVE]"))
                .filter(l -> !ip.contains(l)).toList();
        assertTrue(missing.isEmpty(), "lines ip prints otherwise:\n" + String.join("\n", missing));
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed", "routes", "kinds", "nsid"})
    void everyIpMonitorEventAppearsInOrderWithTheSameValues(String scenario) throws IOException {
        Path dir = Repo.samples().resolve(scenario);
        List<Rec> ip = parseIp(Files.readAllLines(dir.resolve("ipmonitor.t.txt")));
        Repo.Run run = Repo.cli("-r", dir.resolve(scenario + ".pcapng").toString(), "--json");
        assertEquals(0, run.code(), run.err());
        List<Rec> ours = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            JsonNode e = JSON.readTree(line);
            if (e.get("derived_from") == null) { // link.moved joins two messages: not ip's
                ours.add(fromJson(e));
            }
        }
        assertEquals(ip.size(), ours.size(), "number of messages");
        int compared = 0;
        for (int i = 0; i < ip.size(); i++) {
            Rec a = ip.get(i);
            Rec b = ours.get(i);
            String where = scenario + " message " + (i + 1) + ": ip `" + a.text + "` / nlsniff `" + b.text + "`";
            assertEquals(a.label + "/" + a.op + "/" + a.nsid, b.label + "/" + b.op + "/" + b.nsid, where);
            for (var f : a.fields.entrySet()) {
                if (f.getKey().equals("ifname") && a.nsid != null) {
                    continue; // ip looked the name up in its own namespace: not comparable
                }
                assertEquals(f.getValue(), b.fields.get(f.getKey()), where + " field " + f.getKey());
                compared++;
            }
        }
        assertTrue(compared > ip.size(), "compared only " + compared + " fields");

        Map<String, Integer> counts = new TreeMap<>();
        ours.forEach(r -> counts.merge(r.label + "/" + r.op, 1, Integer::sum));
        JsonNode expected = JSON.readTree(dir.resolve("summary.json").toFile()).at("/columns/ipmon-t");
        Map<String, Integer> want = new TreeMap<>();
        expected.fields().forEachRemaining(e -> want.put(e.getKey(), e.getValue().asInt()));
        assertEquals(want, counts, "per-type counts vs summary.json");
    }

    static List<Rec> parseIp(List<String> lines) {
        List<Rec> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue; // Timestamp: lines and continuation lines
            }
            Integer nsid = m.group(1).equals("current") ? null : Integer.valueOf(m.group(1));
            String label = m.group(2);
            String text = m.group(4);
            Map<String, String> f = new TreeMap<>();
            switch (label) {
                case "LINK" -> {
                    Matcher l = LINK.matcher(text);
                    if (l.find()) {
                        f.put("ifindex", l.group(1));
                        f.put("ifname", l.group(2));
                    }
                }
                case "ADDR" -> {
                    Matcher l = ADDR.matcher(text);
                    if (l.find()) {
                        f.put("ifindex", l.group(1));
                        f.put("address", l.group(2));
                        f.put("prefixlen", l.group(3));
                    }
                }
                case "ROUTE" -> {
                    String[] t = text.split("\\s+");
                    int k = t[0].matches("local|broadcast|multicast|anycast|blackhole|unreachable|prohibit|throw|nat") ? 1 : 0;
                    String dst = t[k];
                    if (!dst.equals("default")) {
                        f.put("dst", dst.contains("/") ? dst : dst + (dst.contains(":") ? "/128" : "/32"));
                    }
                    String table = "254";
                    for (int j = k; j + 1 < t.length; j++) {
                        if (t[j].equals("table")) {
                            table = switch (t[j + 1]) {
                                case "local" -> "255";
                                case "main" -> "254";
                                case "default" -> "253";
                                default -> t[j + 1];
                            };
                        }
                    }
                    f.put("table", table);
                }
                case "NSID" -> {
                    Matcher l = NSID.matcher(text);
                    if (l.find()) {
                        f.put("nsid", l.group(1));
                    }
                }
                default -> { }
            }
            out.add(new Rec(label, m.group(3) != null ? "del" : "new", nsid, f, line));
        }
        return out;
    }

    static Rec fromJson(JsonNode e) {
        String label = e.path("type").asText().replaceAll("^RTM_(NEW|DEL|GET|SET)", "");
        String op = e.path("type").asText().startsWith("RTM_DEL") ? "del" : "new";
        Integer nsid = e.get("nsid").isNull() ? null : e.get("nsid").asInt();
        JsonNode h = e.path("header");
        JsonNode a = e.path("attrs");
        Map<String, String> f = new TreeMap<>();
        switch (label) {
            case "LINK" -> {
                f.put("ifindex", h.path("ifi_index").asText());
                f.put("ifname", a.path("ifname").asText());
            }
            case "ADDR" -> {
                f.put("ifindex", h.path("ifa_index").asText());
                f.put("address", a.has("local") ? a.path("local").asText() : a.path("address").asText());
                f.put("prefixlen", h.path("ifa_prefixlen").asText());
            }
            case "ROUTE" -> {
                if (a.has("dst")) {
                    f.put("dst", a.path("dst").asText() + "/" + h.path("rtm_dst_len").asText());
                }
                f.put("table", a.has("table") ? a.path("table").asText() : tableNumber(h.path("rtm_table").asText()));
            }
            case "NSID" -> f.put("nsid", a.path("nsid").asText());
            default -> { }
        }
        return new Rec(label, op, nsid, f, e.path("summary").asText());
    }

    private static String tableNumber(String name) {
        return switch (name) {
            case "local" -> "255";
            case "main" -> "254";
            case "default" -> "253";
            case "compat" -> "252";
            case "unspec" -> "0";
            default -> name;
        };
    }
}
