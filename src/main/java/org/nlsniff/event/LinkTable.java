package org.nlsniff.event;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nlsniff.decode.Message;

/**
 * Interface index → name and flags, per network namespace (keyed by the nsid the events came
 * from; null = the listener's own namespace). An enricher: it remembers across messages what
 * decoding alone cannot know, the way {@code ip monitor}'s link cache does, but fed only from the
 * messages it is shown (a capture's own link messages, or a live dump), never from the host.
 * Not thread-safe: used by the one thread that turns messages into events.
 */
public final class LinkTable {
    /** What is remembered of a link. */
    public record Link(String name, long flags) {}

    /**
     * Links kept per namespace and in all: far above what a machine has (a host with 10,000
     * veths is large), so that only a crafted capture naming endless indexes reaches them;
     * beyond, the least recently learnt or used link goes (its index then prints as {@code if<N>}), so
     * memory stays flat however many links a capture names.
     */
    static final int MAX_PER_NAMESPACE = 32_768;
    static final int MAX_TOTAL = 65_536;
    /**
     * Characters of a name kept: IFNAMSIZ makes a name at most 15 bytes and an altname
     * (ALTIFNAMSIZ) 127, so only a crafted message is cut (the event itself keeps its name).
     */
    static final int MAX_NAME = 256;

    /** Per namespace (null = own), in access order, so the namespace heard from least recently
     * gives up a link first when the total is reached. */
    private final LinkedHashMap<Integer, LinkedHashMap<Long, Link>> links =
            new LinkedHashMap<>(16, 0.75f, true);
    private int total;

    /** Updates the table from a link message: remembers RTM_NEWLINK, forgets RTM_DELLINK. */
    public void observe(Message m) {
        if (!"rt-link".equals(m.familyName()) || m.isRequest()) {
            return;
        }
        // Bridge port notifications (AF_BRIDGE) repeat the link; they carry the name too.
        long index = m.num(m.header, "ifi_index", 0);
        if (index <= 0) {
            return;
        }
        Integer nsid = m.frame.nsid();
        if ("del".equals(m.operation.verb())) {
            LinkedHashMap<Long, Link> ns = links.get(nsid);
            if (ns != null && ns.remove(index) != null) {
                total--;
                if (ns.isEmpty()) {
                    links.remove(nsid);
                }
            }
            return;
        }
        String name = Message.text(m.attrs, "ifname");
        if (name == null) {
            Link prev = get(nsid, index);
            name = prev == null ? null : prev.name();
        }
        if (name != null) {
            long flags = flagBits(m);
            Link prev = get(nsid, index);
            if (prev == null || prev.flags() != flags || !prev.name().equals(cut(name))) {
                put(nsid, index, new Link(cut(name), flags));
            }
        }
    }

    /** Remembers a link, making room under the caps (least recently used link of that
     * namespace, then of the namespace heard from least recently). */
    private void put(Integer nsid, long index, Link link) {
        LinkedHashMap<Long, Link> ns = links.get(nsid);
        if (ns == null) {
            // In access order: a link learnt again or looked up counts as the newest.
            ns = new LinkedHashMap<>(16, 0.75f, true);
            links.put(nsid, ns);
        }
        if (ns.put(index, link) != null) {
            return;
        }
        total++;
        if (ns.size() > MAX_PER_NAMESPACE) {
            evictEldest(ns);
        }
        while (total > MAX_TOTAL) {
            Map.Entry<Integer, LinkedHashMap<Long, Link>> eldest = links.entrySet().iterator().next();
            evictEldest(eldest.getValue());
            if (eldest.getValue().isEmpty()) {
                links.remove(eldest.getKey());
            }
        }
    }

    private void evictEldest(LinkedHashMap<Long, Link> ns) {
        var it = ns.entrySet().iterator();
        it.next();
        it.remove();
        total--;
    }

    /** At most {@link #MAX_NAME} characters, not splitting a surrogate pair. */
    static String cut(String name) {
        if (name.length() <= MAX_NAME) {
            return name;
        }
        int end = Character.isHighSurrogate(name.charAt(MAX_NAME - 1)) ? MAX_NAME - 1 : MAX_NAME;
        return name.substring(0, end);
    }

    private static long flagBits(Message m) {
        var f = m.header.get("ifi_flags");
        long bits = 0;
        if (f != null && f.isArray()) {
            for (var n : f) {
                String s = n.asText();
                Long b = IFF.get(s);
                if (b != null) {
                    bits |= b;
                }
            }
        }
        return bits;
    }

    private static final Map<String, Long> IFF = Map.of("UP", 0x1L, "LOWER_UP", 0x10000L,
            "RUNNING", 0x40L);

    /** The link, or null when not known in that namespace. */
    public Link get(Integer nsid, long ifindex) {
        LinkedHashMap<Long, Link> ns = links.get(nsid);
        return ns == null ? null : ns.get(ifindex);
    }

    /**
     * The name, or {@code if<N>} as ip prints unknown indexes. Index 1 is always the loopback
     * device in every namespace (LOOPBACK_IFINDEX, include/net/net_namespace.h), so it is
     * {@code lo} even when no link message named it.
     */
    public String name(Integer nsid, long ifindex) {
        Link l = get(nsid, ifindex);
        if (l != null) {
            return l.name();
        }
        return ifindex == 1 ? "lo" : "if" + ifindex;
    }

    /** Whether a link is known and administratively up. */
    public boolean isUp(Integer nsid, long ifindex) {
        Link l = get(nsid, ifindex);
        return l != null && (l.flags() & 0x1) != 0;
    }

    /** Number of links known in all namespaces. */
    public int size() {
        return total;
    }

    @Override
    public String toString() {
        return Objects.toString(links);
    }
}
