package org.nlsniff.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Resolves the names one family's spec refers to: own definitions first, then imports. */
final class Resolver {
    private final Family family;
    private final Map<String, Family> all;
    private final Set<String> attributeDecoders;

    Resolver(Family family, Map<String, Family> all, Set<String> attributeDecoders) {
        this.family = family;
        this.all = all;
        this.attributeDecoders = attributeDecoders;
    }

    private SpecException err(String where, String what) {
        return new SpecException(family.origin + ": " + where + ": " + what);
    }

    private <T> T find(String name, Function<Family, Map<String, T>> table, String kind,
            String where) throws SpecException {
        T t = table.apply(family).get(name);
        if (t != null) {
            return t;
        }
        for (String imp : family.imports) {
            Family f = all.get(imp);
            if (f == null) {
                throw err("x-import", "no family named " + imp);
            }
            t = table.apply(f).get(name);
            if (t != null) {
                return t;
            }
        }
        throw err(where, "refers to " + kind + " `" + name + "`, which is not defined");
    }

    void resolve() throws SpecException {
        for (StructDef s : family.structs.values()) {
            for (Field m : s.members()) {
                resolveField(m, "struct " + s.name() + " member " + m.name);
            }
        }
        for (AttrSet set : family.sets.values()) {
            for (Attr a : set.attrs) {
                String where = "attribute-set " + set.name + " attribute " + a.name;
                resolveField(a, where);
                if (a.nestedName != null) {
                    a.nested = find(a.nestedName, f -> f.sets, "attribute-set", where);
                }
                if (a.fixedHeaderName != null) {
                    a.fixedHeader = find(a.fixedHeaderName, f -> f.structs, "struct", where);
                }
                if (a.subMessageName != null) {
                    a.subMessage = find(a.subMessageName, f -> f.subMessages, "sub-message", where);
                    if (!a.selector.startsWith("@") && set.byName(a.selector) == null) {
                        throw err(where, "selector `" + a.selector + "` is not in the same set");
                    }
                }
                if (a.decoderName != null && !attributeDecoders.contains(a.decoderName)) {
                    throw err(where, "x-decoder `" + a.decoderName
                            + "` is not registered by any DecoderProvider");
                }
            }
        }
        for (SubMessage sm : family.subMessages.values()) {
            for (SubMessage.Format fm : sm.formats().values()) {
                String where = "sub-message " + sm.name() + " format " + fm.value;
                if (fm.fixedHeaderName != null) {
                    fm.fixedHeader = find(fm.fixedHeaderName, f -> f.structs, "struct", where);
                }
                if (fm.attributeSetName != null) {
                    fm.attributeSet = find(fm.attributeSetName, f -> f.sets, "attribute-set", where);
                }
            }
        }
        List<Operation> ops = new ArrayList<>(family.operations);
        family.operations.clear();
        for (Operation op : ops) {
            String where = "operation " + op.name();
            StructDef h = op.fixedHeader() == null ? null
                    : find(op.fixedHeader().name(), f -> f.structs, "struct", where);
            AttrSet s = op.attributeSet() == null ? null
                    : find(op.attributeSet().name, f -> f.sets, "attribute-set", where);
            family.operations.add(new Operation(family, op.name(), op.value(), op.constant(), h, s));
        }
    }

    private void resolveField(Field fl, String where) throws SpecException {
        if (fl.enumName != null) {
            fl.enumDef = find(fl.enumName, f -> f.enums, "enum", where);
        }
        if (fl.structName != null) {
            fl.struct = find(fl.structName, f -> f.structs, "struct", where);
        }
    }
}
