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

    /** The last {@link #pathUnder} made: decoding asks for the same few paths again and again. */
    private volatile PathMemo pathMemo;

    private record PathMemo(String parent, String path) {}

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

    /**
     * The dotted path of this attribute under {@code parent} ({@code linkinfo.data}), kept for
     * the last parent it was asked for (one immutable pair, so threads sharing the spec see a
     * whole one or none).
     */
    public String pathUnder(String parent) {
        if (parent.isEmpty()) {
            return key;
        }
        PathMemo m = pathMemo;
        if (m != null && (m.parent() == parent || m.parent().equals(parent))) {
            return m.path();
        }
        String path = parent + "." + key;
        pathMemo = new PathMemo(parent, path);
        return path;
    }
}
