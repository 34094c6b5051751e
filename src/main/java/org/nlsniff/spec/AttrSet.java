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

    public AttrSet(String name, String family, List<Attr> attrs) {
        this.name = name;
        this.family = family;
        this.attrs = attrs;
        int max = attrs.stream().mapToInt(a -> a.value).max().orElse(0);
        this.byType = new Attr[max + 1];
        for (Attr a : attrs) {
            byType[a.value] = a;
        }
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
