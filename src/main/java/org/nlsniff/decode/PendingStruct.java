package org.nlsniff.decode;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
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

    /** {@code length} ≥ the struct's size; the bytes past it are the {@code _extra} entry. */
    PendingStruct(ByteBuffer buf, int start, int length, StructDef def, ByteOrder order) {
        this.buf = buf;
        this.start = start;
        this.length = length;
        this.def = def;
        this.order = order;
    }

    /**
     * Hex of the bytes after the struct (a newer kernel's longer version of it, as
     * {@code _extra}), or null when the struct filled its attribute exactly.
     */
    public String extraHex() {
        return length > def.size() ? Bytes.hex(buf, start + def.size(), start + length) : null;
    }

    /** The members in order, {@code pad} members included (they have no value). */
    public List<Field> members() {
        return def.members();
    }

    /** Whether {@link #value} applies: false for padding. */
    public static boolean hasValue(Field f) {
        return f.type != ScalarType.PAD;
    }

    /**
     * The value of the member at byte {@code offset} of the struct, as the decoder reads it: an
     * unsigned 64-bit value above {@code Long.MAX_VALUE} comes back negative (see
     * {@link #isUnsignedAbove}).
     */
    public long value(Field f, int offset) {
        return Bytes.integer(buf, start + offset, StructDef.width(f), f.type.signed,
                f.bigEndian ? ByteOrder.BIG_ENDIAN : order);
    }

    /** True when {@code v} read from {@code f} stands for {@code v + 2^64} (a u64 counter). */
    public static boolean isUnsignedAbove(Field f, long v) {
        return v < 0 && !f.type.signed && StructDef.width(f) == 8;
    }

    /** The entries, as {@link SpecDecoder#struct} would have made them. */
    void fill(OrderedMap<com.fasterxml.jackson.databind.JsonNode> into) {
        int pos = 0;
        for (Field f : def.members()) {
            if (hasValue(f)) {
                long v = value(f, pos);
                into.append(f.key, isUnsignedAbove(f, v)
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
