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
 * @param verb the verb of the event name: {@code new}, {@code del}, {@code get}, {@code set},
 *     else the name
 * @param event the event name of its messages: {@code object.verb} ({@code link.new}), else the
 *     name; worked out once, since it names every message of this type
 */
public record Operation(Family family, String name, int value, String constant,
        StructDef fixedHeader, AttrSet attributeSet, String verb, String event) {

    public Operation(Family family, String name, int value, String constant,
            StructDef fixedHeader, AttrSet attributeSet) {
        this(family, name, value, constant, fixedHeader, attributeSet, verbOf(name),
                family.object.isEmpty() ? name : family.object + "." + verbOf(name));
    }

    private static String verbOf(String name) {
        for (String v : VERBS) {
            if (name.startsWith(v)) {
                return v;
            }
        }
        return name;
    }

    private static final String[] VERBS = {"new", "del", "get", "set"};
}
