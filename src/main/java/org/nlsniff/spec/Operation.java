package org.nlsniff.spec;

/**
 * A message type of a family: its number, kernel constant, fixed header and attribute set.
 *
 * @param family the family that defines it
 * @param name spec name ({@code newlink})
 * @param value nlmsg_type
 * @param constant kernel constant ({@code RTM_NEWLINK})
 * @param fixedHeader may be null
 * @param attributeSet may be null
 */
public record Operation(Family family, String name, int value, String constant,
        StructDef fixedHeader, AttrSet attributeSet) {

    /** The verb of the event name: {@code new}, {@code del}, {@code get}, {@code set}, ... */
    public String verb() {
        for (String v : VERBS) {
            if (name.startsWith(v)) {
                return v;
            }
        }
        return name;
    }

    private static final String[] VERBS = {"new", "del", "get", "set"};
}
