package org.nlsniff.decode;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nlsniff.spec.Field;
import org.nlsniff.spec.ScalarType;
import org.nlsniff.spec.StructDef;

/**
 * A struct of plain numbers (no enums, no flags, no binary members: the link statistics, the
 * per-device IPv4 and IPv6 settings) whose attribute holds at least the whole struct, not yet turned
 * into nodes. The object holding it fills itself on first use; a writer that only copies it out
 * ({@link #value}) never has to, which spares the decoder most of a link message's nodes.
 */
public final class PendingStruct {
    private final ByteBuffer buf;
    private final int start;
    private final int length;
    private final StructDef def;
    private final ByteOrder order;

    private final Layout layout;
    private final byte[] array;

    /**
     * A plain struct's members with a value (padding left out), laid out once per struct
     * definition for writers that copy them out in a loop: JSON key, byte offset, width,
     * signedness, byte order.
     */
    public static final class Layout {
        private final StructDef def;
        private final String[] keys;
        private final int[] offsets;
        private final int[] widths;
        private final boolean[] signed;
        private final boolean[] bigEndian;

        Layout(StructDef def) {
            this.def = def;
            int n = (int) def.members().stream().filter(PendingStruct::hasValue).count();
            keys = new String[n];
            offsets = new int[n];
            widths = new int[n];
            signed = new boolean[n];
            bigEndian = new boolean[n];
            int pos = 0;
            int i = 0;
            for (Field f : def.members()) {
                if (hasValue(f)) {
                    keys[i] = f.key;
                    offsets[i] = pos;
                    widths[i] = StructDef.width(f);
                    signed[i] = f.type.signed;
                    bigEndian[i] = f.bigEndian;
                    i++;
                }
                pos += StructDef.width(f);
            }
        }

        /** Members with a value. */
        public int count() {
            return keys.length;
        }

        /** JSON key of the {@code i}-th member with a value. */
        public String key(int i) {
            return keys[i];
        }

        /** The index of the member whose JSON key is {@code key}, or -1. */
        public int indexOf(String key) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] == key || keys[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        /** True when {@code v} read from member {@code i} stands for {@code v + 2^64}. */
        public boolean isUnsignedAbove(int i, long v) {
            return v < 0 && !signed[i] && widths[i] == 8;
        }
    }

    /** {@code length} ≥ the struct's size; the bytes past it are the {@code _extra} entry. */
    PendingStruct(ByteBuffer buf, int start, int length, Layout layout, ByteOrder order) {
        this.buf = buf;
        this.start = start;
        this.length = length;
        this.def = layout.def;
        this.layout = layout;
        this.order = order;
        // The decoder's buffers wrap a frame's whole array; anything else is read through it.
        this.array = buf.hasArray() && buf.arrayOffset() == 0 ? buf.array() : null;
    }

    /** The members with a value, laid out. */
    public Layout layout() {
        return layout;
    }

    /**
     * The value of the {@code i}-th member with a value (see {@link Layout}), as {@link #value}
     * reads it.
     */
    public long valueAt(int i) {
        Layout l = layout;
        byte[] a = array;
        if (a == null) {
            return Bytes.integer(buf, start + l.offsets[i], l.widths[i], l.signed[i],
                    l.bigEndian[i] ? ByteOrder.BIG_ENDIAN : order);
        }
        return Bytes.integer(a, start + l.offsets[i], l.widths[i], l.signed[i],
                l.bigEndian[i] || order == ByteOrder.BIG_ENDIAN);
    }

    /**
     * Hex of the bytes after the struct (a newer kernel's longer version of it, as
     * {@code _extra}), or null when the struct filled its attribute exactly.
     */
    public String extraHex() {
        return length > def.size() ? Bytes.hex(buf, start + def.size(), start + length) : null;
    }

    /** The byte order of the members not marked big-endian. */
    public ByteOrder order() {
        return order;
    }

    /**
     * A copy of the bytes this struct is read from, with the bytes after it in its attribute (the
     * {@code _extra}); null when they are not held in a plain array.
     */
    public byte[] copyBytes() {
        return array == null ? null : java.util.Arrays.copyOfRange(array, start, start + length);
    }

    /**
     * Whether this struct would be read from {@code bytes} (a {@link #copyBytes} of another struct
     * of the same layout) in {@code bytesOrder}: then every value it has is the same.
     */
    public boolean sameBytes(byte[] bytes, ByteOrder bytesOrder) {
        return array != null && bytes != null && bytes.length == length && bytesOrder == order
                && java.util.Arrays.equals(array, start, start + length, bytes, 0, length);
    }

    /** Whether {@link #value} applies: false for padding. */
    private static boolean hasValue(Field f) {
        return f.type != ScalarType.PAD;
    }

    /**
     * The value of the member at byte {@code offset} of the struct, as the decoder reads it: an
     * unsigned 64-bit value above {@code Long.MAX_VALUE} comes back negative (see
     * {@link #isUnsignedAbove}).
     */
    private long value(Field f, int offset) {
        return Bytes.integer(buf, start + offset, StructDef.width(f), f.type.signed,
                f.bigEndian ? ByteOrder.BIG_ENDIAN : order);
    }

    /** True when {@code v} read from {@code f} stands for {@code v + 2^64} (a u64 counter). */
    private static boolean isUnsignedAbove(Field f, long v) {
        return v < 0 && !f.type.signed && StructDef.width(f) == 8;
    }

    /**
     * The entries, as {@link SpecDecoder#struct} would have made them (read member by member,
     * apart from {@link #valueAt}: the tests compare the two).
     */
    void fill(OrderedMap<com.fasterxml.jackson.databind.JsonNode> into) {
        int pos = 0;
        for (Field f : def.members()) {
            if (hasValue(f)) {
                long v = value(f, pos);
                into.append(f.key, f.jsonKey, isUnsignedAbove(f, v)
                        ? Message.JSON.numberNode(new BigInteger(Long.toUnsignedString(v)))
                        : Message.JSON.numberNode(v));
            }
            pos += StructDef.width(f);
        }
        String extra = extraHex();
        if (extra != null) {
            into.append("_extra", Message.JSON.textNode(extra));
        }
    }

    /** Structs that may stay pending: integer and pad members only, no enum, keys distinct. */
    static boolean eligible(StructDef s) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Field f : s.members()) {
            if (f.type == ScalarType.PAD) {
                continue;
            }
            if (f.type.width == 0 || f.enumDef != null || f.enumName != null || f.enumAsFlags
                    || f.struct != null || !keys.add(f.key) || f.key.equals("_extra")) {
                return false;
            }
        }
        return s.size() > 0;
    }
}
