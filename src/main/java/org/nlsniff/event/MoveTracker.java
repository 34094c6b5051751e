package org.nlsniff.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.nlsniff.decode.Message;

/**
 * Derives one {@code link.moved} event from what the kernel sends when a link changes network
 * namespace: RTM_DELLINK in the old namespace carrying IFLA_NEW_NETNSID and IFLA_NEW_IFINDEX
 * (rtnl_fill_ifinfo with the target's id, net/core/rtnetlink.c), and RTM_NEWLINK in the new one.
 *
 * <p>When the source can tell namespaces apart ({@code --all-nsid} live, pcapng replays) the
 * deletion waits for the matching RTM_NEWLINK from the target (same new ifindex, another
 * namespace; the target's nsid when the deletion came from the listener's own namespace) for up
 * to {@value #MAX_WAIT} messages, and the two halves are joined; otherwise, or when no match
 * comes, the move is reported from the deletion alone. Raw events are never held back: only the
 * derived event waits. Not thread-safe.
 */
public final class MoveTracker {
    static final int MAX_WAIT = 64;

    private final boolean join;
    private final NamespaceNames names;
    private final List<Pending> pending = new ArrayList<>();

    private static final class Pending {
        final Message del;
        int age;

        Pending(Message del) {
            this.del = del;
        }
    }

    public MoveTracker(boolean join, NamespaceNames names) {
        this.join = join;
        this.names = names;
    }

    /** Feeds one decoded message; returns the derived events it completes (usually none). */
    public List<Event> observe(Message m) {
        boolean link = "rt-link".equals(m.familyName()) && !m.isRequest();
        if (!link && pending.isEmpty()) {
            return List.of(); // most messages: nothing waits, nothing to age
        }
        List<Event> out = new ArrayList<>(0);
        if (link && "new".equals(m.operation.verb()) && !pending.isEmpty()) {
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (matches(p.del, m)) {
                    it.remove();
                    out.add(moved(p.del, m));
                    break;
                }
            }
        }
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (++p.age > MAX_WAIT) {
                it.remove();
                out.add(moved(p.del, null));
            }
        }
        if (link && "del".equals(m.operation.verb()) && m.attrs.has("new_netnsid")) {
            if (join) {
                pending.add(new Pending(m));
            } else {
                out.add(moved(m, null));
            }
        }
        return out;
    }

    /** Reports every move still waiting for its second half (end of a capture). */
    public List<Event> flush() {
        List<Event> out = new ArrayList<>();
        for (Pending p : pending) {
            out.add(moved(p.del, null));
        }
        pending.clear();
        return out;
    }

    private static boolean matches(Message del, Message add) {
        long newIndex = del.num(del.attrs, "new_ifindex", del.num(del.header, "ifi_index", -1));
        if (add.num(add.header, "ifi_index", -2) != newIndex
                || Objects.equals(add.frame.nsid(), del.frame.nsid())) {
            return false;
        }
        // From the own namespace, IFLA_NEW_NETNSID is the target's id as the listener sees it.
        return del.frame.nsid() != null
                || Objects.equals(add.frame.nsid(), (int) del.num(del.attrs, "new_netnsid", -1));
    }

    private Event moved(Message del, Message add) {
        Message m = new Message(add != null ? add.frame : del.frame, del.index, del.offset,
                del.length, -1, 0, 0, 0, null);
        m.event = "link.moved";
        m.derivedFrom = add != null ? new long[] {del.frame.number(), add.frame.number()}
                : new long[] {del.frame.number()};
        m.joined = add != null ? List.of(del, add) : List.of(del);
        // Repeated attributes (kept as arrays) are read by their last copy, as ip does.
        String name = Message.text(del.attrs, "ifname");
        long fromIndex = del.num(del.header, "ifi_index", 0);
        long toIndex = add != null ? add.num(add.header, "ifi_index", 0)
                : del.num(del.attrs, "new_ifindex", fromIndex);
        Integer fromNsid = del.frame.nsid();
        // Without the target's half, the target is named by IFLA_NEW_NETNSID, which is the id in
        // the old namespace: the listener's view only when the old namespace is the listener's.
        Integer toNsid = add != null ? add.frame.nsid()
                : fromNsid == null ? Integer.valueOf((int) del.num(del.attrs, "new_netnsid", -1)) : null;
        String newName = add == null ? null : Message.text(add.attrs, "ifname");
        m.attrs.put("ifname", name);
        if (newName != null && !newName.equals(name)) {
            m.attrs.put("new_ifname", newName);
        }
        side(m.attrs.putObject("from"), fromNsid, fromIndex, true);
        ObjectNode to = m.attrs.putObject("to");
        side(to, toNsid, toIndex, toNsid != null || add != null);
        if (add == null && fromNsid != null) {
            to.put("nsid_in_source", del.num(del.attrs, "new_netnsid", -1));
        }
        m.attrs.put("joined", add != null);
        String from = names.label(fromNsid);
        String target = toNsid != null || add != null ? names.label(toNsid)
                : "nsid " + del.num(del.attrs, "new_netnsid", -1) + " of " + from;
        // No name in the deletion: the index, as ip prints a link it cannot name.
        String line = (name != null ? name : "if" + fromIndex) + ": " + from + " ifindex "
                + fromIndex + " -> " + target + " ifindex " + toIndex
                + (m.attrs.has("new_ifname") ? " as " + newName : "");
        return new Event(m, List.of(line), names.name(m.frame.nsid()));
    }

    private void side(ObjectNode o, Integer nsid, long ifindex, boolean known) {
        String n = known ? names.name(nsid) : null;
        if (n != null) {
            o.put("netns", n);
        } else {
            o.putNull("netns");
        }
        if (nsid != null) {
            o.put("nsid", nsid);
        } else {
            o.putNull("nsid");
        }
        o.put("ifindex", ifindex);
    }
}
