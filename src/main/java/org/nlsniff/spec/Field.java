package org.nlsniff.spec;

/**
 * What attributes and struct members share: a name, a payload type and how to show it.
 * Reference fields ({@code enumDef}, {@code struct}, ...) are filled when the spec is resolved.
 */
public class Field {
    public final String name;
    /**
     * JSON key: the spec name with {@code -} turned into {@code _}; interned, so that the same
     * key in two places (a counter of stats and of stats64) is one string and the JSON writer's
     * key cache finds it by identity.
     */
    public final String key;
    public final ScalarType type;
    public final boolean bigEndian;
    public final String enumName;
    public final boolean enumAsFlags;
    public final String displayHint;
    public final String structName;
    /** Fixed length of pad/binary struct members; 0 otherwise. */
    public final int len;

    public EnumDef enumDef;
    public StructDef struct;

    public Field(String name, ScalarType type, boolean bigEndian, String enumName,
            boolean enumAsFlags, String displayHint, String structName, int len) {
        this.name = name;
        this.key = name.replace('-', '_').intern();
        this.type = type;
        this.bigEndian = bigEndian;
        this.enumName = enumName;
        this.enumAsFlags = enumAsFlags;
        this.displayHint = displayHint;
        this.structName = structName;
        this.len = len;
    }
}
