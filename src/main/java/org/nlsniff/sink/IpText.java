package org.nlsniff.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.RepeatedValues;
import org.nlsniff.event.Event;
import org.nlsniff.event.LinkTable;

/**
 * Renders a decoded message the way {@code ip monitor} (iproute2 6.1) prints it: the label
 * ({@code [LINK]}), {@code Deleted } for deletions, ip's field order and words. The first line is
 * the message; continuation lines start with white space, as ip's do. Interface names come from
 * the {@link LinkTable} of the namespace the message came from. Not thread-safe: one per
 * pipeline, as its link table is.
 */
public final class IpText {
    private final LinkTable links;
    private final NsidNames nsidNames;

    /** Resolves an nsid to a namespace name for {@code link-netns NAME}; null when unknown. */
    @FunctionalInterface
    public interface NsidNames {
        String name(Integer fromNsid, int nsid);
    }

    public IpText(LinkTable links, NsidNames nsidNames) {
        this.links = links;
        this.nsidNames = nsidNames;
    }

    /**
     * The attributes as ip reads them: a repeated attribute (an array in the JSON) by its last
     * copy, as parse_rtattr() keeps it, so that no value is made up from an array.
     */
    private static ObjectNode attrs(Message m) {
        return m.repeats ? RepeatedValues.lastOf(m.attrs) : m.attrs;
    }

    /** {@code EEXIST (-17)}: the errno's name when known, then the code. */
    private static void errorCode(Message m, StringBuilder sb) {
        String name = m.header.path("errno").asText("");
        sb.append(name.isEmpty() ? "" : name + " ").append('(').append(m.header.path("error").asInt())
                .append(')');
    }

    /** Extended-ack text (quoted, its quotes and backslashes escaped; every copy) and offset. */
    private static void extack(Message m, StringBuilder sb) {
        JsonNode msg = m.attrs.get("msg");
        if (msg != null) {
            for (JsonNode t : msg.isArray() ? msg : List.of(msg)) {
                sb.append(" \"").append(t.asText().replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
            }
        }
        JsonNode offs = RepeatedValues.last(m.attrs.get("offs"));
        if (offs != null) {
            sb.append(" offset ").append(offs.asLong());
        }
    }

    /** The label ip prints ({@code LINK}), or a fallback for messages without a family. */
    public static String label(Message m) {
        if (m.operation != null && !m.operation.family().label.isEmpty()) {
            return m.operation.family().label;
        }
        return switch (m.event) {
            case "ack", "error", "done", "noop", "control" -> "NLMSG";
            case "overrun" -> "OVERRUN";
            case "link.moved" -> "MOVE";
            case "dropped", "resync" -> "NLSNIFF";
            default -> m.frame.protocol() == 0 ? "UNKNOWN" : protocolName(m.frame.protocol()).toUpperCase(Locale.ROOT);
        };
    }

    /** Netlink protocol names (include/uapi/linux/netlink.h). */
    public static String protocolName(int p) {
        return switch (p) {
            case 0 -> "route";
            case 2 -> "usersock";
            case 4 -> "sock_diag";
            case 5 -> "nflog";
            case 6 -> "xfrm";
            case 7 -> "selinux";
            case 8 -> "iscsi";
            case 9 -> "audit";
            case 10 -> "fib_lookup";
            case 11 -> "connector";
            case 12 -> "netfilter";
            case 13 -> "ip6_fw";
            case 14 -> "dnrtmsg";
            case 15 -> "kobject_uevent";
            case 16 -> "generic";
            case 18 -> "scsitransport";
            case 19 -> "ecryptfs";
            case 20 -> "rdma";
            case 21 -> "crypto";
            case 22 -> "smc";
            default -> p < 0 ? "unknown" : "netlink-" + p;
        };
    }

    /** The lines for one message, without label or prefixes on the first. */
    public List<String> lines(Message m) {
        List<String> out = more;
        out.clear();
        StringBuilder sb = line;
        sb.setLength(0);
        String fam = m.familyName();
        if (fam != null && m.type >= 16) {
            boolean del = "del".equals(m.operation.verb());
            if (del && !m.isRequest()) {
                sb.append("Deleted ");
            }
            // ip prints no requests; show what was asked, field by field.
            switch (m.isRequest() ? "request" : fam) {
                case "request" -> generic(m, sb.append("request "));
                case "rt-link" -> link(m, sb, out);
                case "rt-addr" -> addr(m, sb, out);
                case "rt-route" -> route(m, sb, out);
                case "rt-nsid" -> nsid(m, sb);
                case "rt-neigh" -> neigh(m, sb);
                case "netconf" -> netconf(m, sb);
                case "rt-rule" -> rule(m, sb);
                case "nexthop" -> nexthop(m, sb);
                default -> generic(m, sb);
            }
        } else {
            control(m, sb);
        }
        if (!m.problems.isEmpty() && sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 1);
        }
        for (var p : m.problems) {
            sb.append(" [problem ").append(p.code()).append(" at ").append(p.offset()).append(": ")
                    .append(cut(p.detail())).append(']');
        }
        // made printable by the Event that carries them
        if (out.isEmpty()) {
            return List.of(sb.toString());
        }
        out.add(0, sb.toString());
        return List.copyOf(out);
    }

    /**
     * The first line and the further ones, built again for every message (one thread: the
     * pipeline's): measured, a new builder and list per message were 0.86 and 0.35 of the 10.7
     * GB a 2-million-message JSON run allocated.
     */
    private final StringBuilder line = new StringBuilder(512);
    private final List<String> more = new ArrayList<>(4);
    /** A link's second line ({@code link/ether ...}). */
    private final StringBuilder second = new StringBuilder(256);


    // ---------------------------------------------------------------- link (print_linkinfo)

    private static final String[][] IFF_ORDER = {
        {"LOOPBACK", "LOOPBACK"}, {"BROADCAST", "BROADCAST"}, {"POINTOPOINT", "POINTOPOINT"},
        {"MULTICAST", "MULTICAST"}, {"NOARP", "NOARP"}, {"ALLMULTI", "ALLMULTI"},
        {"PROMISC", "PROMISC"}, {"MASTER", "MASTER"}, {"SLAVE", "SLAVE"}, {"DEBUG", "DEBUG"},
        {"DYNAMIC", "DYNAMIC"}, {"AUTOMEDIA", "AUTOMEDIA"}, {"PORTSEL", "PORTSEL"},
        {"NOTRAILERS", "NOTRAILERS"}, {"UP", "UP"}, {"LOWER_UP", "LOWER_UP"},
        {"DORMANT", "DORMANT"}, {"ECHO", "ECHO"}};

    /** Bit {@code i} of a link's flag set: {@code IFF_ORDER[i]}; RUNNING (not shown) after them. */
    private static final Map<String, Integer> IFF_BIT = iffBits();

    private static Map<String, Integer> iffBits() {
        Map<String, Integer> bits = new java.util.HashMap<>();
        for (int i = 0; i < IFF_ORDER.length; i++) {
            bits.put(IFF_ORDER[i][0], i);
        }
        bits.put("RUNNING", IFF_ORDER.length);
        return Map.copyOf(bits);
    }

    private static final long IFF_UP = 1L << IFF_BIT.get("UP");
    private static final long IFF_RUNNING = 1L << IFF_BIT.get("RUNNING");
    private static final long IFF_POINTOPOINT = 1L << IFF_BIT.get("POINTOPOINT");

    private void link(Message m, StringBuilder sb, List<String> more) {
        ObjectNode h = m.header;
        ObjectNode a = attrs(m);
        Integer ns = m.frame.nsid();
        sb.append(m.num(h, "ifi_index", 0)).append(": ");
        String name = Message.text(a, "ifname");
        sb.append(name != null ? name : "if" + m.num(h, "ifi_index", 0));
        boolean mdown = false;
        JsonNode link = a.get("link");
        JsonNode linkNetnsid = a.get("link_netnsid");
        if (link != null) {
            long iflink = num(link, 0);
            if (iflink == 0) {
                sb.append("@NONE: ");
            } else if (linkNetnsid != null) {
                sb.append("@if").append(iflink).append(": ");
            } else {
                sb.append('@').append(links.name(ns, iflink)).append(": ");
                mdown = !links.isUp(ns, iflink);
            }
        } else {
            sb.append(": ");
        }
        // The flag names as bits of IFF_ORDER (one pass over the names, no search per word).
        JsonNode flagNames = h.get("ifi_flags");
        long flags = 0;
        List<String> unnamed = List.of();
        if (flagNames != null && flagNames.isArray()) {
            for (JsonNode n : flagNames) {
                String f = n.asText();
                Integer bit = IFF_BIT.get(f);
                if (bit != null) {
                    flags |= 1L << bit;
                } else if (f.startsWith("0x")) {
                    if (unnamed.isEmpty()) {
                        unnamed = new ArrayList<>(1);
                    }
                    unnamed.add(f.substring(2));
                }
            }
        }
        sb.append('<');
        List<String> shown = new ArrayList<>();
        if ((flags & IFF_UP) != 0 && (flags & IFF_RUNNING) == 0) {
            shown.add("NO-CARRIER");
        }
        for (int i = 0; i < IFF_ORDER.length; i++) {
            if ((flags & 1L << i) != 0) {
                shown.add(IFF_ORDER[i][1]);
            }
        }
        shown.addAll(unnamed);
        if (mdown) {
            shown.add("M-DOWN");
        }
        sb.append(String.join(",", shown)).append("> ");
        JsonNode mtu = a.get("mtu");
        if (mtu != null) {
            sb.append("mtu ").append(num(mtu, 0)).append(' ');
        }
        JsonNode qdisc = a.get("qdisc");
        if (qdisc != null) {
            sb.append("qdisc ").append(qdisc.asText()).append(' ');
        }
        JsonNode master = a.get("master");
        if (master != null) {
            sb.append("master ").append(links.name(ns, num(master, 0))).append(' ');
        }
        JsonNode operstate = a.get("operstate");
        if (operstate != null) {
            sb.append("state ").append(operstate.asText().toUpperCase(Locale.ROOT)
                    .replace("-", "")).append(' ');
        }
        JsonNode group = a.get("group");
        if (group != null) {
            long g = num(group, 0);
            sb.append("group ").append(g == 0 ? "default" : Long.toString(g)).append(' ');
        }
        JsonNode ev = a.get("event");
        if (ev != null && !"none".equals(ev.asText()) && !(ev.isNumber() && ev.asLong() == 0)) {
            sb.append("event ").append(ev.asText().toUpperCase(Locale.ROOT).replace('-', ' ')
                    .replace("FEATURES", "FEATURE CHANGE")).append(' ');
        }
        StringBuilder l2 = second;
        l2.setLength(0);
        l2.append("    link/");
        l2.append(linkType(h.get("ifi_type"))).append(' ');
        JsonNode address = a.get("address");
        if (address != null) {
            l2.append(address.asText());
        }
        JsonNode broadcast = a.get("broadcast");
        if (broadcast != null) {
            l2.append((flags & IFF_POINTOPOINT) != 0 ? " peer " : " brd ")
                    .append(broadcast.asText());
        }
        JsonNode permAddress = a.get("perm_address");
        if (permAddress != null && !permAddress.equals(address)) {
            l2.append(" permaddr ").append(permAddress.asText());
        }
        if (linkNetnsid != null) {
            int id = (int) num(linkNetnsid, -1);
            String nsName = id >= 0 ? nsidNames.name(ns, id) : null;
            if (id < 0) {
                l2.append(" link-netnsid unknown");
            } else if (nsName != null) {
                l2.append(" link-netns ").append(nsName);
            } else {
                l2.append(" link-netnsid ").append(id);
            }
        }
        JsonNode newNetnsid = a.get("new_netnsid");
        if (newNetnsid != null) {
            int id = (int) num(newNetnsid, -1);
            String nsName = nsidNames.name(ns, id);
            l2.append(nsName != null ? " new-netns " + nsName : " new-netnsid " + id);
        }
        JsonNode newIfindex = a.get("new_ifindex");
        if (newIfindex != null) {
            l2.append(" new-ifindex ").append(num(newIfindex, 0));
        }
        if (m.num(a, "proto_down", 0) != 0) {
            l2.append(" protodown on ");
        }
        more.add(l2.toString());
        JsonNode props = a.path("prop_list").path("alt_ifname");
        for (JsonNode alt : props.isArray() ? props : List.of(props)) {
            if (alt.isTextual()) {
                more.add("    altname " + alt.asText());
            }
        }
    }

    /** An integer attribute's value, or {@code dflt} when it is not a number. */
    private static long num(JsonNode v, long dflt) {
        return v.isNumber() ? v.asLong() : dflt;
    }

    private static String linkType(JsonNode t) {
        if (t == null) {
            return "none";
        }
        String s = t.asText();
        return switch (s) {
            case "ipgre" -> "gre";
            case "ip6gre" -> "gre6";
            case "ieee802" -> "ieee802";
            default -> t.isNumber() ? "[" + s + "]" : s;
        };
    }

    private static List<String> names(JsonNode arr) {
        List<String> out = new ArrayList<>();
        if (arr != null && arr.isArray()) {
            arr.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    // ---------------------------------------------------------------- addr (print_addrinfo)

    /** ip's ifa flag words in its order: spec name, word, IPv6 only. */
    private static final String[][] IFA_ORDER = {
        {"SECONDARY", "secondary"}, {"NODAD", "nodad"}, {"OPTIMISTIC", "optimistic"},
        {"DADFAILED", "dadfailed"}, {"HOMEADDRESS", "home"}, {"DEPRECATED", "deprecated"},
        {"TENTATIVE", "tentative"}, {"PERMANENT", null}, {"MNGTMPADDR", "mngtmpaddr"},
        {"MANAGETEMPADDR", "mngtmpaddr"}, {"NOPREFIXROUTE", "noprefixroute"},
        {"MCAUTOJOIN", "autojoin"}, {"STABLE_PRIVACY", "stable-privacy"}};

    private void addr(Message m, StringBuilder sb, List<String> more) {
        ObjectNode h = m.header;
        ObjectNode a = attrs(m);
        long idx = m.num(h, "ifa_index", 0);
        String family = h.path("ifa_family").asText();
        sb.append(idx).append(": ").append(links.name(m.frame.nsid(), idx)).append("    ");
        sb.append("inet6".equals(family) ? "inet6 " : "inet".equals(family) ? "inet " : family + " ");
        long plen = m.num(h, "ifa_prefixlen", 0);
        JsonNode local = a.get("local");
        JsonNode address = a.get("address");
        if (local != null) {
            sb.append(local.asText());
            if (address == null || address.equals(local)) {
                sb.append('/').append(plen).append(' ');
            } else {
                sb.append(" peer ").append(address.asText()).append('/').append(plen).append(' ');
            }
        } else if (address != null) {
            sb.append(address.asText()).append('/').append(plen).append(' ');
        }
        JsonNode broadcast = a.get("broadcast");
        if (broadcast != null) {
            sb.append("brd ").append(broadcast.asText()).append(' ');
        }
        JsonNode anycast = a.get("anycast");
        if (anycast != null) {
            sb.append("any ").append(anycast.asText()).append(' ');
        }
        sb.append("scope ").append(scope(h.get("ifa_scope"))).append(' ');
        // The 32-bit IFA_FLAGS carries the full set; the 8-bit header field only the low bits.
        List<String> flags = names(a.has("flags") ? a.get("flags") : h.get("ifa_flags"));
        for (String[] f : IFA_ORDER) {
            if (f[1] == null) {
                if (!flags.contains(f[0])) {
                    sb.append("dynamic ");
                }
            } else if (flags.contains(f[0])) {
                sb.append("SECONDARY".equals(f[0]) && "inet6".equals(family) ? "temporary" : f[1])
                        .append(' ');
            }
        }
        JsonNode label = a.get("label");
        if (label != null) {
            sb.append(label.asText());
        }
        JsonNode rtPriority = a.get("rt_priority");
        if (rtPriority != null) {
            sb.append("metric ").append(num(rtPriority, 0)).append(' ');
        }
        JsonNode ci = a.get("cacheinfo");
        if (ci != null && ci.isObject()) {
            more.add("       valid_lft " + lifetime(member(ci, "ifa_valid")) + " preferred_lft "
                    + lifetime(member(ci, "ifa_prefered")));
        }
    }

    /** No such member ({@link #member}). */
    private static final long ABSENT = Long.MIN_VALUE;

    /**
     * A struct's integer member, {@link #ABSENT} when it has none (a struct of plain numbers
     * still pending is read from its bytes, not made into entries).
     */
    private static long member(JsonNode struct, String key) {
        if (struct instanceof org.nlsniff.decode.DecodedObject o) {
            return o.number(key, ABSENT);
        }
        JsonNode v = struct.get(key);
        return v == null ? ABSENT : v.asLong();
    }

    private static String lifetime(long s) {
        if (s == ABSENT) {
            return "?";
        }
        return s == 0xffffffffL ? "forever" : s + "sec";
    }

    private static String scope(JsonNode s) {
        if (s == null) {
            return "global";
        }
        String t = s.asText();
        return "universe".equals(t) ? "global" : t;
    }

    // ---------------------------------------------------------------- route (print_route)

    private static final Map<String, String> RT_FLAG_WORDS = Map.of(
            "DEAD", "dead", "ONLINK", "onlink", "PERVASIVE", "pervasive", "OFFLOAD", "offload",
            "TRAP", "trap", "NOTIFY", "notify", "LINKDOWN", "linkdown", "UNRESOLVED", "unresolved",
            "RT_OFFLOAD", "rt_offload", "RT_TRAP", "rt_trap");

    private static final String[] METRIC_ORDER = {"mtu", "window", "rtt", "rttvar", "ssthresh",
        "cwnd", "advmss", "reordering", "hoplimit", "initcwnd", "features", "rto_min", "initrwnd",
        "quickack", "cc_algo", "fastopen_no_cookie"};
    private static final int[] METRIC_NUMBER = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};

    private void route(Message m, StringBuilder sb, List<String> more) {
        ObjectNode h = m.header;
        ObjectNode a = attrs(m);
        Integer ns = m.frame.nsid();
        String family = h.path("rtm_family").asText();
        int hostLen = "inet6".equals(family) ? 128 : "inet".equals(family) ? 32 : -1;
        String type = h.path("rtm_type").asText();
        if (!"unicast".equals(type)) {
            sb.append(type).append(' ');
        }
        long dstLen = m.num(h, "rtm_dst_len", 0);
        JsonNode dst = a.get("dst");
        if (dst != null) {
            sb.append(dst.asText());
            sb.append(dstLen != hostLen ? "/" + dstLen + " " : " ");
        } else if (dstLen != 0) {
            sb.append("0/").append(dstLen).append(' ');
        } else {
            sb.append("default ");
        }
        long srcLen = m.num(h, "rtm_src_len", 0);
        JsonNode src = a.get("src");
        if (src != null) {
            sb.append("from ").append(src.asText());
            sb.append(srcLen != hostLen ? "/" + srcLen + " " : " ");
        } else if (srcLen != 0) {
            sb.append("from 0/").append(srcLen).append(' ');
        }
        JsonNode nhId = a.get("nh_id");
        if (nhId != null) {
            sb.append("nhid ").append(num(nhId, 0)).append(' ');
        }
        JsonNode encapType = a.get("encap_type");
        if (encapType != null) {
            sb.append("encap ").append(encapType.asText()).append(' ');
        }
        if (m.num(h, "rtm_tos", 0) != 0) {
            sb.append("tos 0x").append(Long.toHexString(m.num(h, "rtm_tos", 0))).append(' ');
        }
        JsonNode gateway = a.get("gateway");
        if (gateway != null) {
            sb.append("via ").append(gateway.asText()).append(' ');
        }
        JsonNode oif = a.get("oif");
        if (oif != null) {
            sb.append("dev ").append(links.name(ns, num(oif, 0))).append(' ');
        }
        String table = table(m);
        if (!table.equals("main") && !table.equals("unspec")) {
            sb.append("table ").append(table).append(' ');
        }
        List<String> flags = names(h.get("rtm_flags"));
        if (!flags.contains("CLONED")) {
            String proto = h.path("rtm_protocol").asText();
            if (!"boot".equals(proto)) {
                sb.append("proto ").append(proto).append(' ');
            }
            String sc = h.path("rtm_scope").asText();
            if (!"universe".equals(sc)) {
                sb.append("scope ").append(sc).append(' ');
            }
        }
        JsonNode prefsrc = a.get("prefsrc");
        if (prefsrc != null) {
            sb.append("src ").append(prefsrc.asText()).append(' ');
        }
        JsonNode priority = a.get("priority");
        if (priority != null) {
            sb.append("metric ").append(num(priority, 0)).append(' ');
        }
        for (String f : flags) {
            String w = RT_FLAG_WORDS.get(f);
            if (w != null) {
                sb.append(w).append(' ');
            }
        }
        JsonNode mark = a.get("mark");
        if (mark != null) {
            sb.append("mark 0x").append(Long.toHexString(num(mark, 0))).append(' ');
        }
        JsonNode uid = a.get("uid");
        if (uid != null) {
            sb.append("uid ").append(num(uid, 0)).append(' ');
        }
        if ("inet6".equals(family)) {
            if (flags.contains("CLONED")) {
                sb.append("cache ");
            }
            if (m.num(a, "expires", 0) != 0) {
                sb.append("expires ").append(m.num(a, "expires", 0)).append("sec ");
            } else if (routeExpires(a) != 0) {
                sb.append("expires ").append(routeExpires(a) / 100).append("sec ");
            }
        }
        JsonNode mx = a.get("metrics");
        if (mx != null && mx.isObject()) {
            long lock = mx.path("lock").asLong(0);
            for (int i = 0; i < METRIC_ORDER.length; i++) {
                JsonNode v = mx.get(METRIC_ORDER[i]);
                if (v == null) {
                    continue;
                }
                sb.append(METRIC_ORDER[i].equals("cc_algo") ? "congctl" : METRIC_ORDER[i]).append(' ');
                if ((lock & (1L << METRIC_NUMBER[i])) != 0) {
                    sb.append("lock ");
                }
                sb.append(v.asText()).append(' ');
            }
        }
        JsonNode iif = a.get("iif");
        if (iif != null) {
            sb.append("iif ").append(links.name(ns, num(iif, 0))).append(' ');
        }
        JsonNode mp = a.get("multipath");
        if (mp != null && mp.isArray()) {
            for (JsonNode nh : mp) {
                StringBuilder l = new StringBuilder("\tnexthop ");
                JsonNode via = nh.get("gateway");
                if (via != null) {
                    l.append("via ").append(via.asText()).append(' ');
                }
                long ifi = nh.path("ifindex").asLong(0);
                if (ifi != 0) {
                    l.append("dev ").append(links.name(ns, ifi)).append(' ');
                }
                l.append("weight ").append(nh.path("weight").asLong(1)).append(' ');
                for (String f : names(nh.get("flags"))) {
                    String w = RT_FLAG_WORDS.get(f);
                    if (w != null) {
                        l.append(w).append(' ');
                    }
                }
                more.add(l.toString());
            }
        }
        JsonNode pref = a.get("pref");
        if (pref != null) {
            // The last word of ip's route line, printed without a trailing space.
            sb.append("pref ").append(pref.asText());
        }
    }

    /** RTA_CACHEINFO's rta_expires (in hundredths of a second), 0 when there is none. */
    private static long routeExpires(ObjectNode a) {
        JsonNode ci = a.get("cacheinfo");
        long v = ci != null && ci.isObject() ? member(ci, "rta_expires") : 0;
        return v == ABSENT ? 0 : v;
    }

    /** The route's table: RTA_TABLE when present (ids above 255), else rtm_table. */
    static String table(Message m) {
        JsonNode t = RepeatedValues.last(m.attrs.get("table"));
        if (t != null && t.isNumber()) {
            return switch ((int) t.asLong()) {
                case 0 -> "unspec";
                case 252 -> "compat";
                case 253 -> "default";
                case 254 -> "main";
                case 255 -> "local";
                default -> t.asText();
            };
        }
        return m.header.path("rtm_table").asText("main");
    }

    // ---------------------------------------------------------------- nsid, neigh, netconf

    private void nsid(Message m, StringBuilder sb) {
        ObjectNode a = attrs(m);
        JsonNode nsid = a.get("nsid");
        if (nsid != null) {
            sb.append("nsid ").append(nsid.asText()).append(' ');
        }
        JsonNode currentNsid = a.get("current_nsid");
        if (currentNsid != null) {
            sb.append("current-nsid ").append(currentNsid.asText()).append(' ');
        }
        if (nsid != null) {
            String name = nsidNames.name(m.frame.nsid(), (int) num(nsid, -1));
            if (name != null) {
                sb.append("(iproute2 netns name: ").append(name).append(')');
            }
        }
    }

    private void neigh(Message m, StringBuilder sb) {
        ObjectNode h = m.header;
        ObjectNode a = attrs(m);
        JsonNode dst = a.get("dst");
        if (dst != null) {
            sb.append(dst.asText()).append(' ');
        }
        long idx = m.num(h, "ndm_ifindex", 0);
        if (idx != 0) {
            sb.append("dev ").append(links.name(m.frame.nsid(), idx)).append(' ');
        }
        JsonNode lladdr = a.get("lladdr");
        if (lladdr != null) {
            sb.append("lladdr ").append(lladdr.asText()).append(' ');
        }
        for (String s : names(h.get("ndm_state"))) {
            sb.append(s).append(' ');
        }
    }

    private void netconf(Message m, StringBuilder sb) {
        ObjectNode a = attrs(m);
        sb.append(m.header.path("ncm_family").asText()).append(' ');
        JsonNode ifindex = a.get("ifindex");
        if (ifindex != null) {
            long idx = num(ifindex, 0);
            sb.append(idx == -1 ? "all" : idx == -2 ? "default" : links.name(m.frame.nsid(), idx))
                    .append(' ');
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            var e = it.next();
            // ip 6.1 does not print bc_forwarding (JSON keeps it).
            if (!e.getKey().equals("ifindex") && !e.getKey().equals("bc_forwarding")) {
                sb.append(e.getKey()).append(' ')
                        .append(e.getValue().asLong() == 0 ? "off" : e.getValue().asLong() == 1 ? "on"
                                : e.getValue().asText()).append(' ');
            }
        }
    }

    /** iprule.c print_rule: {@code PRIO:\tfrom PREFIX to PREFIX ... lookup TABLE}. */
    private void rule(Message m, StringBuilder sb) {
        ObjectNode h = m.header;
        ObjectNode a = attrs(m);
        String family = h.path("family").asText();
        int hostLen = "inet6".equals(family) ? 128 : 32;
        sb.append(m.num(a, "priority", 0)).append(":\t");
        if (names(h.get("flags")).contains("INVERT")) {
            sb.append("not ");
        }
        prefix(sb, "from", a.get("src"), m.num(h, "src_len", 0), hostLen, true);
        prefix(sb, "to", a.get("dst"), m.num(h, "dst_len", 0), hostLen, false);
        if (m.num(h, "tos", 0) != 0) {
            sb.append("tos 0x").append(Long.toHexString(m.num(h, "tos", 0))).append(' ');
        }
        JsonNode fwmark = a.get("fwmark");
        if (fwmark != null) {
            sb.append("fwmark 0x").append(Long.toHexString(num(fwmark, 0))).append(' ');
        }
        JsonNode iifname = a.get("iifname");
        if (iifname != null) {
            sb.append("iif ").append(iifname.asText()).append(' ');
        }
        JsonNode oifname = a.get("oifname");
        if (oifname != null) {
            sb.append("oif ").append(oifname.asText()).append(' ');
        }
        String action = h.path("action").asText();
        JsonNode table = a.has("table") ? a.get("table") : h.get("table");
        switch (action) {
            case "to-tbl" -> sb.append("lookup ").append(tableName(table)).append(' ');
            case "goto" -> sb.append("goto ").append(m.num(a, "goto", 0)).append(' ');
            case "nop" -> sb.append("nop ");
            default -> sb.append(action).append(' ');
        }
        // ip's rule line has no trailing space.
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 1);
        }
    }

    private static void prefix(StringBuilder sb, String word, JsonNode addr, long len, int hostLen,
            boolean always) {
        if (addr != null) {
            sb.append(word).append(' ').append(addr.asText());
            sb.append(len != hostLen ? "/" + len + " " : " ");
        } else if (len != 0) {
            sb.append(word).append(" 0/").append(len).append(' ');
        } else if (always) {
            sb.append(word).append(" all ");
        }
    }

    private static String tableName(JsonNode t) {
        if (t == null) {
            return "unspec";
        }
        if (!t.isNumber()) {
            return t.asText();
        }
        return switch ((int) t.asLong()) {
            case 253 -> "default";
            case 254 -> "main";
            case 255 -> "local";
            default -> t.asText();
        };
    }

    /** ipnexthop.c print_nexthop: {@code id N via GW dev DEV scope S} or {@code id N group A/B,W}. */
    private void nexthop(Message m, StringBuilder sb) {
        ObjectNode h = m.header;
        ObjectNode a = attrs(m);
        sb.append("id ").append(m.num(a, "id", 0)).append(' ');
        JsonNode group = a.get("group");
        if (group != null && group.isArray()) {
            sb.append("group ");
            boolean first = true;
            for (JsonNode g : group) {
                sb.append(first ? "" : "/").append(g.path("id").asLong());
                if (g.path("weight").asLong() != 0) {
                    sb.append(',').append(g.path("weight").asLong() + 1);
                }
                first = false;
            }
            sb.append(' ');
        }
        JsonNode gateway = a.get("gateway");
        if (gateway != null) {
            sb.append("via ").append(gateway.asText()).append(' ');
        }
        JsonNode oif = a.get("oif");
        if (oif != null) {
            sb.append("dev ").append(links.name(m.frame.nsid(), num(oif, 0))).append(' ');
        }
        if (a.has("blackhole")) {
            sb.append("blackhole ");
        }
        String sc = h.path("nh_scope").asText();
        if (!"universe".equals(sc)) {
            sb.append("scope ").append(sc).append(' ');
        }
        String proto = h.path("nh_protocol").asText();
        if (!"unspec".equals(proto)) {
            sb.append("proto ").append(proto).append(' ');
        }
        if (a.has("fdb")) {
            sb.append("fdb ");
        }
    }

    /** Families without an ip-style printer yet: header and attributes as key=value. */
    private static void generic(Message m, StringBuilder sb) {
        sb.append(m.operation.constant()).append(' ');
        appendFields(sb, m.header);
        appendFields(sb, m.attrs);
    }

    private static void appendFields(StringBuilder sb, ObjectNode o) {
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (v.isNumber() && v.asLong() == 0 || v.isArray() && v.isEmpty()
                    || "unspec".equals(v.asText(null))) {
                continue; // requests leave most header fields zero: only say what was set
            }
            sb.append(e.getKey()).append(' ');
            if (v.isValueNode()) {
                sb.append(v.asText());
            } else {
                compact(sb, v);
            }
            sb.append(' ');
        }
    }

    /** Compact JSON of a nested value, the same text as Jackson's {@code toString()}. */
    private static void compact(StringBuilder sb, JsonNode v) {
        JsonWriter.Buffer b = COMPACT.get();
        try {
            b.writer().tree(v);
            sb.append(new String(b.take(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            b.reset(); // writing to memory does not fail
            sb.append(v.toString());
        }
    }

    private static final ThreadLocal<JsonWriter.Buffer> COMPACT =
            ThreadLocal.withInitial(JsonWriter.Buffer::new);

    private void control(Message m, StringBuilder sb) {
        String proto = protocolName(m.frame.protocol());
        switch (m.event) {
            case "overrun" -> sb.append("overrun: the kernel dropped messages (ENOBUFS)");
            case "ack", "error" -> {
                if (m.event.equals("ack")) {
                    sb.append("ack");
                } else if (!m.header.has("error")) {
                    sb.append("error (no error code)");
                } else {
                    errorCode(m, sb.append("error "));
                }
                JsonNode req = m.header.get("msg");
                if (req != null) {
                    sb.append(" for ").append(req.path("nlmsg_type").asText()).append(" seq ")
                            .append(req.path("nlmsg_seq").asLong()).append(" pid ")
                            .append(req.path("nlmsg_pid").asLong());
                }
                extack(m, sb);
            }
            case "done" -> {
                sb.append("done seq ").append(m.seq).append(" pid ").append(m.pid);
                // A dump that failed ends in NLMSG_DONE carrying the error (and an extack).
                if (m.header.has("error") && m.header.path("error").asInt() != 0) {
                    errorCode(m, sb.append(" error "));
                }
                extack(m, sb);
            }
            case "malformed" -> sb.append("malformed ").append(proto).append(" bytes")
                    .append(m.rawHex == null || m.rawHex.isEmpty() ? "" : " " + cut(m.rawHex));
            case "message" -> {
                sb.append(m.genlFamily != null ? m.genlFamily : proto + " type " + m.type);
                sb.append(m.isRequest() ? " request " : " ");
                appendFields(sb, m.header.deepCopy().put("flags", "0x" + Integer.toHexString(m.flags)));
                if (!m.unknown.isEmpty()) {
                    sb.append(m.unknown.size()).append(" attributes");
                }
                if (m.rawHex != null && !m.rawHex.isEmpty()) {
                    boolean spaced = sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ';
                    sb.append(spaced ? "hex " : " hex ").append(cut(m.rawHex));
                }
            }
            default -> {
                sb.append(proto).append(" type ").append(m.type).append(" flags 0x")
                        .append(Integer.toHexString(m.flags)).append(" seq ").append(m.seq)
                        .append(" pid ").append(m.pid);
                if (m.rawHex != null && !m.rawHex.isEmpty()) {
                    sb.append(" hex ").append(cut(m.rawHex));
                }
            }
        }
    }

    /**
     * Characters of hex or of a problem's detail a text line shows at most: 64 Ki, the hex of
     * any real message's 32 KiB; a crafted message of megabytes is cut there, since the line is
     * for reading (the JSON's {@code hex} and {@code problems} keep all of it).
     */
    static final int TEXT_MAX = 64 << 10;

    static CharSequence cut(String s) {
        if (s.length() <= TEXT_MAX) {
            return s;
        }
        return new StringBuilder(TEXT_MAX + 64).append(s, 0, TEXT_MAX).append("... (")
                .append(s.length() - TEXT_MAX).append(" more characters; all of them in --json)");
    }
}
