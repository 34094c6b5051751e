package org.nlsniff.spec;

import java.util.Map;

/**
 * An {@code enum} or {@code flags} definition. For flags the keys are bit masks.
 *
 * @param name spec name
 * @param flags true for a flag set
 * @param entries value (or mask) → spec name, in spec order
 */
public record EnumDef(String name, boolean flags, Map<Long, String> entries) {

    /** The entry's name, or null when the value is not listed. */
    public String nameOf(long value) {
        return entries.get(value);
    }
}
