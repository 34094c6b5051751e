package org.nlsniff.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolved decoder table: every loaded family, and operations keyed by (netlink protocol,
 * message type). Immutable after {@link SpecLoader} builds it; safe to share between threads.
 */
public final class Spec {
    private final Map<String, Family> families;
    private final Map<Long, Operation> byKey = new HashMap<>();
    private final Map<Integer, Operation> control = new HashMap<>();

    Spec(Map<String, Family> families) throws SpecException {
        this.families = Collections.unmodifiableMap(new LinkedHashMap<>(families));
        for (Family f : families.values()) {
            for (Operation op : f.operations) {
                Operation prev;
                if (f.protonum == null) {
                    prev = control.put(op.value(), op);
                } else {
                    prev = byKey.put(key(f.protonum, op.value()), op);
                }
                if (prev != null) {
                    throw new SpecException(String.format(
                            "message type %d%s is defined twice: %s (%s) and %s (%s)",
                            op.value(), f.protonum == null ? "" : " of protocol " + f.protonum,
                            prev.constant(), prev.family().origin, op.constant(), f.origin));
                }
            }
        }
    }

    private static long key(int protocol, int type) {
        return ((long) protocol << 32) | (type & 0xffffffffL);
    }

    /** The operation for a message, control messages (types below 16) first; null if unknown. */
    public Operation operation(int protocol, int type) {
        if (type < 16) {
            Operation op = control.get(type);
            if (op != null) {
                return op;
            }
        }
        return byKey.get(key(protocol, type));
    }

    public Map<String, Family> families() {
        return families;
    }

    public Family family(String name) {
        return families.get(name);
    }

    /** Multicast groups of a protocol, name → number, in file order. */
    public Map<String, Integer> groups(int protocol) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Family f : families.values()) {
            if (f.protonum != null && f.protonum == protocol) {
                out.putAll(f.groups);
            }
        }
        return out;
    }

    /** Rows of the resolved table, {@code protocol type constant family origin}, sorted. */
    public List<String> table() {
        List<Operation> ops = new ArrayList<>(control.values());
        ops.addAll(byKey.values());
        ops.sort((a, b) -> {
            int pa = a.family().protonum == null ? -1 : a.family().protonum;
            int pb = b.family().protonum == null ? -1 : b.family().protonum;
            return pa != pb ? Integer.compare(pa, pb) : Integer.compare(a.value(), b.value());
        });
        List<String> rows = new ArrayList<>();
        for (Operation op : ops) {
            Integer p = op.family().protonum;
            rows.add(String.format("%-5s %5d  %-20s %-12s %s", p == null ? "any" : p.toString(),
                    op.value(), op.constant(), op.family().name, op.family().origin));
        }
        return rows;
    }
}
