package org.nlsniff.event;

import java.util.HashMap;
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

    private final Map<Key, Link> links = new HashMap<>();

    private record Key(Integer nsid, long ifindex) {}

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
        Key k = new Key(m.frame.nsid(), index);
        if ("del".equals(m.operation.verb())) {
            links.remove(k);
            return;
        }
        String name = Message.text(m.attrs, "ifname");
        Link prev = links.get(k);
        if (name == null) {
            name = prev == null ? null : prev.name();
        }
        if (name != null) {
            links.put(k, new Link(name, flagBits(m)));
        }
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
        return links.get(new Key(nsid, ifindex));
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
        return links.size();
    }

    @Override
    public String toString() {
        return Objects.toString(links);
    }
}
