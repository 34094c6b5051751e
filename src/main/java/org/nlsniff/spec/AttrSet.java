package org.nlsniff.spec;

import java.util.List;

/**
 * An attribute set, resolved into an array indexed by attribute type (types are small numbers)
 * so decoding is an array lookup.
 */
public final class AttrSet {
    public final String name;
    public final String family;
    public final List<Attr> attrs;
    private final Attr[] byType;
    /** No two attributes share a JSON key (names may differ only in {@code -} and {@code _}). */
    private final boolean distinctKeys;

    public AttrSet(String name, String family, List<Attr> attrs) {
        this.name = name;
        this.family = family;
        this.attrs = attrs;
        int max = attrs.stream().mapToInt(a -> a.value).max().orElse(0);
        this.byType = new Attr[max + 1];
        java.util.Set<String> keys = new java.util.HashSet<>();
        boolean distinct = true;
        for (Attr a : attrs) {
            byType[a.value] = a;
            distinct &= keys.add(a.key);
        }
        this.distinctKeys = distinct;
    }

    /** The highest attribute type of the set. */
    public int maxType() {
        return byType.length - 1;
    }

    /** True when every attribute has a JSON key of its own. */
    public boolean distinctKeys() {
        return distinctKeys;
    }

    /** The attribute with this type (flag bits already masked off), or null. */
    public Attr byType(int type) {
        return type >= 0 && type < byType.length ? byType[type] : null;
    }

    /** The attribute with this spec name, or null. */
    public Attr byName(String attrName) {
        for (Attr a : attrs) {
            if (a.name.equals(attrName)) {
                return a;
            }
        }
        return null;
    }
}
