package org.nlsniff.tui;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.nlsniff.decode.Bytes;
import org.nlsniff.decode.Message;
import org.nlsniff.spec.Attr;

/**
 * The detail pane of one event: the decoded tree (header, attributes, nested sets, unknown
 * entries, problems; for a {@code link.moved} both halves) as lines, each tied to the bytes it
 * came from, and the message's bytes for a hex dump. Built on the UI thread from the same
 * decoded tree the JSON output uses. Immutable.
 */
public final class Detail {
    /**
     * One line of the tree.
     *
     * @param text indented text
     * @param message the message whose bytes it describes (null: none)
     * @param from first byte (offset in the datagram) or -1
     * @param to end (exclusive)
     */
    public record Line(String text, Message message, int from, int to) {}

    private final List<Line> lines = new ArrayList<>();

    public Detail(Row row) {
        Message m = row.event().message();
        lines.add(new Line(row.name() + "  " + (m.typeName() != null ? m.typeName() + "  " : "")
                + (m.frame.number() > 0 ? "frame " + m.frame.number() + "  " : "") + row.netns(), null, -1, -1));
        lines.add(new Line(row.summary(), null, -1, -1));
        if (m.joined != null) {
            int half = 1;
            for (Message part : m.joined) {
                lines.add(new Line("", null, -1, -1));
                lines.add(new Line((half++ == 1 ? "leaving: " : "arriving: ") + part.typeName()
                        + (part.frame.nsid() != null ? " nsid " + part.frame.nsid() : " own namespace")
                        + (part.frame.number() > 0 ? " frame " + part.frame.number() : ""), part,
                        part.offset, part.offset + part.length));
                message(part, "  ");
            }
            return;
        }
        message(m, "");
    }

    private void message(Message m, String indent) {
        if (m.type >= 0) {
            lines.add(new Line(indent + "nlmsghdr len " + m.length + " type " + m.type + " flags 0x"
                    + Integer.toHexString(m.flags) + " seq " + m.seq + " pid " + m.pid, m,
                    m.offset, Math.min(m.offset + 16, m.offset + m.length)));
        }
        Map<String, List<int[]>> ranges = attributeRanges(m);
        int headerEnd = m.offset + 16 + (m.operation != null && m.operation.fixedHeader() != null
                ? m.operation.fixedHeader().size() : 0);
        if (!m.header.isEmpty()) {
            lines.add(new Line(indent + "header", m, m.offset + 16, Math.min(headerEnd, m.offset + m.length)));
            tree(m, m.header, indent + "  ", m.offset + 16, Math.min(headerEnd, m.offset + m.length), null);
        }
        if (!m.attrs.isEmpty()) {
            lines.add(new Line(indent + "attributes", m, -1, -1));
            tree(m, m.attrs, indent + "  ", -1, -1, ranges);
        }
        for (JsonNode u : m.unknown) {
            int off = u.path("offset").asInt(-1);
            lines.add(new Line(indent + "unknown type " + u.path("type").asInt()
                    + (u.path("nested").asBoolean() ? " nested" : "")
                    + (u.has("path") ? " in " + u.get("path").asText() : "") + ": " + u.path("hex").asText(),
                    m, off, off < 0 ? -1 : off + 4 + u.path("hex").asText().length() / 2));
        }
        for (var p : m.problems) {
            lines.add(new Line(indent + "problem " + p.code() + " at " + p.offset() + ": " + p.detail(),
                    m, p.offset(), p.offset() + 4));
        }
        if (m.rawHex != null) {
            lines.add(new Line(indent + "undecoded: " + m.rawHex, m, -1, -1));
        }
    }

    private void tree(Message m, JsonNode node, String indent, int from, int to,
            Map<String, List<int[]>> ranges) {
        Map<String, Integer> seen = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            int f = from;
            int t = to;
            if (ranges != null) {
                List<int[]> r = ranges.get(e.getKey());
                int i = seen.merge(e.getKey(), 1, Integer::sum) - 1;
                if (r != null && i < r.size()) {
                    f = r.get(i)[0];
                    t = r.get(i)[1];
                }
            }
            JsonNode v = e.getValue();
            if (v.isObject()) {
                lines.add(new Line(indent + e.getKey(), m, f, t));
                tree(m, v, indent + "  ", f, t, null);
            } else if (v.isArray() && v.size() > 0 && v.get(0).isObject()) {
                lines.add(new Line(indent + e.getKey() + " [" + v.size() + "]", m, f, t));
                int n = 0;
                for (JsonNode item : v) {
                    lines.add(new Line(indent + "  [" + n++ + "]", m, f, t));
                    tree(m, item, indent + "    ", f, t, null);
                }
            } else {
                lines.add(new Line(indent + e.getKey() + ": " + (v.isTextual() ? v.asText() : v.toString()), m, f, t));
            }
        }
    }

    /** Byte ranges of the top-level attributes, by JSON key, in order of appearance. */
    private static Map<String, List<int[]>> attributeRanges(Message m) {
        Map<String, List<int[]>> out = new HashMap<>();
        if (m.operation == null || m.operation.attributeSet() == null) {
            return out;
        }
        ByteBuffer buf = ByteBuffer.wrap(m.frame.data()).order(m.frame.order());
        int pos = m.offset + 16 + (m.operation.fixedHeader() == null ? 0
                : Bytes.align4(m.operation.fixedHeader().size()));
        int end = Math.min(m.offset + m.length, m.frame.data().length);
        while (end - pos >= 4) {
            int len = buf.getShort(pos) & 0xffff;
            if (len < 4 || len > end - pos) {
                break;
            }
            Attr a = m.operation.attributeSet().byType(buf.getShort(pos + 2) & 0x3fff);
            if (a != null) {
                out.computeIfAbsent(a.key, k -> new ArrayList<>()).add(new int[] {pos, pos + len});
            }
            pos += Bytes.align4(len);
        }
        return out;
    }

    public List<Line> lines() {
        return lines;
    }
}
