package org.nlsniff.spec;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code enum} or {@code flags} definition. For flags the keys are bit masks. The printed
 * names of the masks (upper case, {@code _} for {@code -}) are made once, here.
 */
public final class EnumDef {
    private final String name;
    private final boolean flags;
    private final Map<Long, String> entries;
    /** Values sorted, with their names at the same index: lookups without boxing. */
    private final long[] values;
    private final String[] names;
    private final long[] masks;
    private final String[] flagNames;
    /**
     * What a decoder keeps for this definition (its ready-made value nodes), made by the first
     * decoder that needs it; the same for every decoder, since it depends on this alone.
     */
    private volatile Object decoderNodes;

    /**
     * @param name spec name
     * @param flags true for a flag set
     * @param entries value (or mask) → spec name, in spec order
     */
    public EnumDef(String name, boolean flags, Map<Long, String> entries) {
        this.name = name;
        this.flags = flags;
        this.entries = entries;
        this.values = entries.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        this.names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = entries.get(values[i]);
        }
        int n = 0;
        for (long mask : entries.keySet()) {
            if (mask != 0) {
                n++;
            }
        }
        masks = new long[n];
        flagNames = new String[n];
        int i = 0;
        for (var en : entries.entrySet()) {
            if (en.getKey() != 0) {
                masks[i] = en.getKey();
                flagNames[i] = en.getValue().toUpperCase(Locale.ROOT).replace('-', '_');
                i++;
            }
        }
    }

    public String name() {
        return name;
    }

    public boolean flags() {
        return flags;
    }

    /** Value (or mask) → spec name, in spec order. */
    public Map<Long, String> entries() {
        return entries;
    }

    /** The entry's name, or null when the value is not listed. */
    public String nameOf(long value) {
        int i = java.util.Arrays.binarySearch(values, value);
        return i < 0 ? null : names[i];
    }

    /** The entry of {@code value} as an index for {@link #nameAt}, or negative when not listed. */
    public int indexOf(long value) {
        return java.util.Arrays.binarySearch(values, value);
    }

    /** Number of entries ({@link #nameAt} indexes). */
    public int size() {
        return names.length;
    }

    /** The name of the entry at {@code i}, entries sorted by value. */
    public String nameAt(int i) {
        return names[i];
    }

    /** See {@link #decoderNodes}: null until a decoder sets it. */
    public Object decoderNodes() {
        return decoderNodes;
    }

    public void decoderNodes(Object nodes) {
        decoderNodes = nodes;
    }

    /** Number of non-zero masks, for {@link #mask} and {@link #flagName}. */
    public int maskCount() {
        return masks.length;
    }

    /** The {@code i}-th non-zero mask in spec order. */
    public long mask(int i) {
        return masks[i];
    }

    /** The printed name of the {@code i}-th non-zero mask ({@code NOARP}, {@code LOWER_UP}). */
    public String flagName(int i) {
        return flagNames[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnumDef e && e.name.equals(name) && e.flags == flags
                && e.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, flags, entries);
    }

    @Override
    public String toString() {
        return "EnumDef[name=" + name + ", flags=" + flags + ", entries=" + entries + "]";
    }
}
