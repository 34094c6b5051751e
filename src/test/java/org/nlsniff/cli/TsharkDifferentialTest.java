package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nlsniff.app.Decoding;
import org.nlsniff.spec.EnumDef;
import org.nlsniff.spec.Spec;
import org.nlsniff.testing.Repo;

/**
 * Differential test against tshark 4.0's decode shipped beside each capture
 * ({@code samples/S/tshark.json}, {@code tshark -r S.pcap -T json}): every value tshark decodes
 * for the fields below equals ours, frame by frame. tshark leaves most of rtnetlink undecoded
 * (route attributes, link kinds, nsid bodies): those are covered by the other oracles.
 */
class TsharkDifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** tshark field (after {@code netlink-route.}) → our JSON path, and the enum to map names back. */
    private static final String[][] FIELDS = {
        {"ifi_index", "/header/ifi_index", null}, {"ifi_type", "/header/ifi_type", "rt-common:arphrd"},
        {"ifi_flags", "/header/ifi_flags", "rt-link:iff"}, {"ifi_change", "/header/ifi_change", null},
        {"ifla_ifname", "/attrs/ifname", null}, {"ifla_mtu", "/attrs/mtu", null},
        {"ifla_txqlen", "/attrs/txqlen", null}, {"ifla_txqnum", "/attrs/num_tx_queues", null},
        {"ifla_rxqnum", "/attrs/num_rx_queues", null}, {"ifla_qdisc", "/attrs/qdisc", null},
        {"ifla_promiscuity", "/attrs/promiscuity", null}, {"ifla_min_mtu", "/attrs/min_mtu", null},
        {"ifla_max_mtu", "/attrs/max_mtu", null}, {"ifla_gso_maxsize", "/attrs/gso_max_size", null},
        {"ifla_gso_maxsegs", "/attrs/gso_max_segs", null}, {"ifla_group", "/attrs/group", null},
        {"ifla_carrier", "/attrs/carrier", null},
        {"ifla_carrier_changes", "/attrs/carrier_changes", null},
        {"ifla_carrier_up_count", "/attrs/carrier_up_count", null},
        {"ifla_carrier_down_count", "/attrs/carrier_down_count", null},
        {"ifla_hwaddr", "/attrs/address", null}, {"ifla_broadcast", "/attrs/broadcast", null},
        {"ifla_operstate", "/attrs/operstate", "rt-link:operstate"},
        {"ifa_index", "/header/ifa_index", null}, {"ifa_prefixlen", "/header/ifa_prefixlen", null},
        {"ifa_scope", "/header/ifa_scope", "rt-common:rt-scope"},
        {"rt_dst_len", "/header/rtm_dst_len", null}, {"rt_src_len", "/header/rtm_src_len", null},
        {"rt_tos", "/header/rtm_tos", null}, {"rt_table", "/header/rtm_table", "rt-common:rt-table"},
        {"rt_protocol", "/header/rtm_protocol", "rt-common:rt-proto"},
        {"rt_scope", "/header/rtm_scope", "rt-common:rt-scope"},
        {"rt_type", "/header/rtm_type", "rt-common:rtm-type"},
        {"rt_flags", "/header/rtm_flags", "rt-route:rtm-flags"}, {"rta_oif", "/attrs/oif", null},
    };

    @ParameterizedTest
    @ValueSource(strings = {"seed", "routes", "kinds", "nsid"})
    void everyValueTsharkDecodesEqualsOurs(String scenario) throws Exception {
        Spec spec = Decoding.build(List.of()).spec();
        Path dir = Repo.samples().resolve(scenario);
        List<Map<String, String>> tshark = readTshark(dir.resolve("tshark.json"));
        Repo.Run run = Repo.cli("-r", dir.resolve(scenario + ".pcap").toString(), "--json");
        assertEquals(0, run.code(), run.err());
        List<JsonNode> ours = new ArrayList<>();
        for (String l : run.out().split("\n")) {
            JsonNode e = JSON.readTree(l);
            if (e.get("derived_from") == null) { // derived events (link.moved) are not tshark's
                ours.add(e);
            }
        }
        assertEquals(tshark.size(), ours.size(), "one message per frame in these captures");
        int compared = 0;
        for (int i = 0; i < ours.size(); i++) {
            Map<String, String> t = tshark.get(i);
            JsonNode e = ours.get(i);
            for (String[] f : FIELDS) {
                String want = t.get(f[0]);
                if (want == null) {
                    continue;
                }
                if (want.matches("0x[0-9a-fA-F]+")) {
                    want = Long.toString(Long.parseLong(want.substring(2), 16));
                }
                String got = normalise(e.at(f[1]), f[2], spec);
                assertEquals(want.toLowerCase(Locale.ROOT), got,
                        scenario + " frame " + (i + 1) + " " + f[0] + " vs " + f[1] + ": " + e.path("summary").asText());
                compared++;
            }
        }
        assertTrue(compared > ours.size() * 3, "compared only " + compared + " values");
    }

    /** Our value as tshark prints it: enum and flag names back to numbers, text lower case. */
    private static String normalise(JsonNode v, String enumRef, Spec spec) {
        if (v.isMissingNode()) {
            return "(missing)";
        }
        if (enumRef != null && (v.isTextual() || v.isArray())) {
            String[] ref = enumRef.split(":");
            EnumDef def = spec.family(ref[0]).enums.get(ref[1]);
            long n = 0;
            for (JsonNode name : v.isArray() ? v : List.of(v)) {
                String s = name.asText();
                for (var en : def.entries().entrySet()) {
                    if (en.getValue().equalsIgnoreCase(s.replace('_', '-'))) {
                        n |= en.getKey();
                    }
                }
                if (s.startsWith("0x")) {
                    n |= Long.parseLong(s.substring(2), 16);
                }
            }
            return Long.toString(n);
        }
        return v.asText().toLowerCase(Locale.ROOT);
    }

    /** tshark's JSON has duplicate keys: stream it and keep the first of each field per packet. */
    private static List<Map<String, String>> readTshark(Path file) throws IOException {
        List<Map<String, String>> packets = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            int depth = 0;
            Map<String, String> cur = null;
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        if (depth == 2 && t == JsonToken.START_OBJECT) {
                            cur = new LinkedHashMap<>();
                            packets.add(cur);
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> field = p.currentName();
                    default -> {
                        if (cur != null && field != null && field.startsWith("netlink-route.")) {
                            cur.putIfAbsent(field.substring("netlink-route.".length()), p.getText());
                        }
                    }
                }
            }
        }
        return packets;
    }
}
