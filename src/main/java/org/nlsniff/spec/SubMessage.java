package org.nlsniff.spec;

import java.util.Map;

/** A sub-message: the attribute set (and optional fixed header) chosen by a selector's value. */
public record SubMessage(String name, Map<String, Format> formats) {

    /** One selectable format. Either part may be null. */
    public static final class Format {
        public final String value;
        public final String fixedHeaderName;
        public final String attributeSetName;
        public StructDef fixedHeader;
        public AttrSet attributeSet;

        public Format(String value, String fixedHeaderName, String attributeSetName) {
            this.value = value;
            this.fixedHeaderName = fixedHeaderName;
            this.attributeSetName = attributeSetName;
        }
    }
}
