package org.nlsniff.spec;

/** One attribute of an attribute set: its number plus the {@link Field} description. */
public final class Attr extends Field {
    public final int value;
    public final boolean multi;
    public final String nestedName;
    public final String fixedHeaderName;
    public final String subMessageName;
    public final String selector;
    public final String decoderName;
    /** {@code x-struct-array}: the payload is a run of {@link #struct}s. */
    public final boolean structArray;

    public AttrSet nested;
    public StructDef fixedHeader;
    public SubMessage subMessage;

    public Attr(String name, int value, ScalarType type, boolean bigEndian, String enumName,
            boolean enumAsFlags, String displayHint, String structName, boolean multi,
            String nestedName, String fixedHeaderName, String subMessageName, String selector,
            String decoderName, boolean structArray) {
        super(name, type, bigEndian, enumName, enumAsFlags, displayHint, structName, 0);
        this.value = value;
        this.multi = multi;
        this.nestedName = nestedName;
        this.fixedHeaderName = fixedHeaderName;
        this.subMessageName = subMessageName;
        this.selector = selector;
        this.decoderName = decoderName;
        this.structArray = structArray;
    }
}
