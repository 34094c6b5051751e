package org.nlsniff.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The array a repeated attribute becomes when its spec does not mark it multi-attr (the JSON
 * keeps every copy). A type of its own, so that readers that want one value can tell it from a
 * value that is an array by itself (flag names, a multi-attr, CTRL_ATTR_OPS) and take the last
 * copy, as iproute2's parse_rtattr() does (it overwrites {@code tb[type]} for each occurrence).
 * Written as any array.
 */
public final class RepeatedValues extends ArrayNode {
    private static final long serialVersionUID = 1L;

    RepeatedValues() {
        super(Message.JSON, 2);
    }

    /** The last copy when {@code v} is a repeated attribute's values, else {@code v}. */
    public static JsonNode last(JsonNode v) {
        return v instanceof RepeatedValues r && !r.isEmpty() ? r.get(r.size() - 1) : v;
    }

    /**
     * {@code attrs} with every repeated attribute, at any depth, replaced by its last copy, as ip
     * reads them; {@code attrs} itself when nothing in it repeats. Copies only what changes.
     */
    public static ObjectNode lastOf(ObjectNode attrs) {
        ObjectNode copy = null;
        int i = 0;
        for (Map.Entry<String, JsonNode> e : attrs.properties()) {
            JsonNode v = e.getValue();
            JsonNode w = last(v);
            if (w instanceof ObjectNode o && !(o instanceof DecodedObject d && d.pending() != null)) {
                w = lastOf(o);
            } else if (w instanceof ArrayNode a && !(w instanceof RepeatedValues)) {
                w = lastOfEach(a); // multipath nexthops, nexthop groups: objects in an array
            }
            if (w != v && copy == null) {
                copy = new ObjectNode(JsonNodeFactory.instance);
                int j = 0;
                for (Map.Entry<String, JsonNode> f : attrs.properties()) {
                    if (j++ == i) {
                        break;
                    }
                    copy.set(f.getKey(), f.getValue());
                }
            }
            if (copy != null) {
                copy.set(e.getKey(), w);
            }
            i++;
        }
        return copy != null ? copy : attrs;
    }

    /** {@code arr} with {@link #lastOf} applied to each object in it; itself when none changes. */
    private static ArrayNode lastOfEach(ArrayNode arr) {
        ArrayNode copy = null;
        for (int i = 0; i < arr.size(); i++) {
            JsonNode v = arr.get(i);
            JsonNode w = v instanceof ObjectNode o
                    && !(o instanceof DecodedObject d && d.pending() != null) ? lastOf(o) : v;
            if (w != v && copy == null) {
                copy = new ArrayNode(JsonNodeFactory.instance, arr.size());
                for (int j = 0; j < i; j++) {
                    copy.add(arr.get(j));
                }
            }
            if (copy != null) {
                copy.add(w);
            }
        }
        return copy != null ? copy : arr;
    }
}
