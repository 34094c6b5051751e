package org.nlsniff.decode;

import com.fasterxml.jackson.databind.JsonNode;
import org.nlsniff.spec.EnumDef;

/**
 * The text nodes of an enum's names and a flag set's printed names, made once per definition
 * and shared by every message (text nodes are immutable): no node per decoded value, and names
 * that need no JSON escaping (all the bundled ones) are {@link PlainText}, which the writer
 * copies whole.
 */
final class EnumNodes {
    private final JsonNode[] names;
    private final JsonNode[] flagNames;

    private EnumNodes(EnumDef e) {
        names = new JsonNode[e.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = node(e.nameAt(i));
        }
        flagNames = new JsonNode[e.maskCount()];
        for (int i = 0; i < flagNames.length; i++) {
            flagNames[i] = node(e.flagName(i));
        }
    }

    /** The nodes of {@code e}, made by the first caller (two threads may both make them: alike). */
    static EnumNodes of(EnumDef e) {
        Object n = e.decoderNodes();
        if (n instanceof EnumNodes nodes) {
            return nodes;
        }
        EnumNodes nodes = new EnumNodes(e);
        e.decoderNodes(nodes);
        return nodes;
    }

    /** The name of entry {@code i} ({@link EnumDef#nameAt}). */
    JsonNode name(int i) {
        return names[i];
    }

    /** The printed name of mask {@code i} ({@link EnumDef#flagName}). */
    JsonNode flagName(int i) {
        return flagNames[i];
    }

    private static JsonNode node(String s) {
        return org.nlsniff.spec.Field.jsonKey(s) != null ? new PlainText(s) : Message.JSON.textNode(s);
    }
}
