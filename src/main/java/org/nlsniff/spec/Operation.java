package org.nlsniff.spec;

/**
 * A message type of a family: its number, kernel constant, fixed header and attribute set, with
 * its verb and event name worked out once (they name every message of this type).
 */
public final class Operation {
    private final Family family;
    private final String name;
    private final int value;
    private final String constant;
    private final StructDef fixedHeader;
    private final AttrSet attributeSet;
    private final String verb;
    private final String event;

    /**
     * @param family the family that defines it
     * @param name spec name ({@code newlink})
     * @param value nlmsg_type
     * @param constant kernel constant ({@code RTM_NEWLINK})
     * @param fixedHeader may be null
     * @param attributeSet may be null
     */
    public Operation(Family family, String name, int value, String constant,
            StructDef fixedHeader, AttrSet attributeSet) {
        this.family = family;
        this.name = name;
        this.value = value;
        this.constant = constant;
        this.fixedHeader = fixedHeader;
        this.attributeSet = attributeSet;
        String v = name;
        for (String prefix : VERBS) {
            if (name.startsWith(prefix)) {
                v = prefix;
                break;
            }
        }
        this.verb = v;
        this.event = family.object.isEmpty() ? name : family.object + "." + v;
    }

    private static final String[] VERBS = {"new", "del", "get", "set"};

    public Family family() {
        return family;
    }

    public String name() {
        return name;
    }

    public int value() {
        return value;
    }

    public String constant() {
        return constant;
    }

    public StructDef fixedHeader() {
        return fixedHeader;
    }

    public AttrSet attributeSet() {
        return attributeSet;
    }

    /** The verb of the event name: {@code new}, {@code del}, {@code get}, {@code set}, ... */
    public String verb() {
        return verb;
    }

    /** The event name of its messages: {@code object.verb} ({@code link.new}), else its name. */
    public String event() {
        return event;
    }

    @Override
    public String toString() {
        return family.name + "/" + name + " (" + constant + ", " + value + ")";
    }
}
