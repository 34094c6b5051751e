package org.nlsniff.spec;

/** The payload types of attributes and struct members. */
public enum ScalarType {
    U8(1, false), U16(2, false), U32(4, false), U64(8, false),
    S8(1, true), S16(2, true), S32(4, true), S64(8, true),
    UINT(0, false), SINT(0, true),
    STRING(0, false), BINARY(0, false), FLAG(0, false), PAD(0, false),
    NEST(0, false), INDEXED_ARRAY(0, false), SUB_MESSAGE(0, false);

    /** Fixed width in bytes, 0 when variable. */
    public final int width;
    public final boolean signed;

    ScalarType(int width, boolean signed) {
        this.width = width;
        this.signed = signed;
    }

    /** True for the integer types, fixed or variable width. */
    public boolean isInteger() {
        return width > 0 || this == UINT || this == SINT;
    }

    /** Parses a spec type name such as {@code u32} or {@code sub-message}. */
    public static ScalarType of(String spec) {
        try {
            return valueOf(spec.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
