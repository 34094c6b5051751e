package org.nlsniff.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One spec file: a netlink family (or an rtnetlink object family) with its definitions. */
public final class Family {
    public final String name;
    /** Netlink protocol number, or null for control messages valid in every protocol. */
    public final Integer protonum;
    /** Event prefix ({@code link}); may be empty. */
    public final String object;
    /** Text label as {@code ip monitor} prints it ({@code LINK}); may be empty. */
    public final String label;
    public final String typePrefix;
    /** Where the file came from: {@code jar:decoders/rt-link.yaml} or a path as given. */
    public final String origin;
    public final List<String> imports;

    public final Map<String, StructDef> structs = new LinkedHashMap<>();
    public final Map<String, EnumDef> enums = new LinkedHashMap<>();
    public final Map<String, AttrSet> sets = new LinkedHashMap<>();
    public final Map<String, SubMessage> subMessages = new LinkedHashMap<>();
    public final List<Operation> operations = new ArrayList<>();
    /** Multicast group name → number. */
    public final Map<String, Integer> groups = new LinkedHashMap<>();

    public Family(String name, Integer protonum, String object, String label, String typePrefix,
            String origin, List<String> imports) {
        this.name = name;
        this.protonum = protonum;
        this.object = object;
        this.label = label;
        this.typePrefix = typePrefix;
        this.origin = origin;
        this.imports = imports;
    }
}
