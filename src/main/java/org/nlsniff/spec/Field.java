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
    /**
     * The key as a JSON-lines object key, {@code "key":} in UTF-8, when it needs no escaping
     * (printable ASCII without quote or backslash, as every bundled name is), else null: the
     * JSON writer copies it instead of looking the key up in its cache.
     */
    public final byte[] jsonKey;
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
        this.jsonKey = jsonKey(key);
        this.type = type;
        this.bigEndian = bigEndian;
        this.enumName = enumName;
        this.enumAsFlags = enumAsFlags;
        this.displayHint = displayHint;
        this.structName = structName;
        this.len = len;
    }

    /** {@code "key":} when {@code key} is printable ASCII without {@code "} or {@code \\}, else null. */
    public static byte[] jsonKey(String key) {
        byte[] b = new byte[key.length() + 3];
        b[0] = '"';
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return null;
            }
            b[i + 1] = (byte) c;
        }
        b[b.length - 2] = '"';
        b[b.length - 1] = ':';
        return b;
    }
}
