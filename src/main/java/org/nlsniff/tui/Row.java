package org.nlsniff.tui;

import com.fasterxml.jackson.databind.JsonNode;
import org.nlsniff.decode.Message;
import org.nlsniff.event.Event;
import org.nlsniff.sink.Timestamps;

/**
 * One line of the event table, computed once when the event arrives (on the UI thread): the
 * columns, the colour class and what the filter matches against.
 *
 * @param event the event (its message keeps the bytes for the detail view)
 * @param time HH:MM:SS.micro of the event (UTC)
 * @param netns namespace column: the name, {@code nsid N}, or {@code own}
 * @param name event name ({@code link.new})
 * @param object ifname, address/prefix, route prefix or nsid
 * @param group the multicast group family ({@code link}, {@code route}, ...)
 * @param dev the interface name the event is about, for {@code dev:} filters; may be empty
 */
public record Row(Event event, String time, String netns, String name, String object,
        String group, String dev) {

    /** How a row is coloured. */
    public enum Kind { NEW, DEL, MOVE, PROBLEM, OTHER }

    public static Row of(Event e) {
        Message m = e.message();
        String ts = Timestamps.rfc3339Micros(m.frame.tsNanos());
        String time = ts.substring(11, ts.length() - 1);
        String ns = e.netns() != null ? e.netns() : m.frame.nsid() == null ? "own" : "nsid " + m.frame.nsid();
        String group = m.operation != null && !m.operation.family().object.isEmpty()
                ? m.operation.family().object : m.event.startsWith("link.") ? "link" : m.event;
        return new Row(e, time, ns, m.event, object(m), group, dev(e));
    }

    public Kind kind() {
        Message m = event.message();
        if (!m.problems.isEmpty()) {
            return Kind.PROBLEM;
        }
        if (m.event.endsWith(".moved")) {
            return Kind.MOVE;
        }
        if (m.event.endsWith(".new")) {
            return Kind.NEW;
        }
        if (m.event.endsWith(".del") || "error".equals(m.event)) {
            return Kind.DEL;
        }
        return Kind.OTHER;
    }

    public String summary() {
        return event.summary();
    }

    /** The kernel constant, for {@code type:} filters. */
    public String type() {
        String t = event.message().typeName();
        return t == null ? "" : t;
    }

    private static String object(Message m) {
        // A repeated attribute by its last copy, as the text line shows it.
        var a = m.repeats ? org.nlsniff.decode.RepeatedValues.lastOf(m.attrs) : m.attrs;
        var h = m.header;
        String fam = m.familyName() == null ? "" : m.familyName();
        switch (fam) {
            case "rt-link" -> {
                return text(a, "ifname", "if" + h.path("ifi_index").asText());
            }
            case "rt-addr" -> {
                String addr = text(a, "local", text(a, "address", "?"));
                return addr + "/" + h.path("ifa_prefixlen").asText();
            }
            case "rt-route" -> {
                return a.has("dst") ? a.get("dst").asText() + "/" + h.path("rtm_dst_len").asText()
                        : "default";
            }
            case "rt-nsid" -> {
                return "nsid " + a.path("nsid").asText("?");
            }
            default -> {
                return m.event.equals("link.moved") ? text(a, "ifname", "?") : "";
            }
        }
    }

    private static final java.util.regex.Pattern DEV =
            java.util.regex.Pattern.compile("(?:^(?:Deleted )?\\d+: |\\bdev )([^\\s@:]+)");

    /** The interface: a link's own name, else the `dev NAME` / `N: NAME` of the text line. */
    private static String dev(Event e) {
        Message m = e.message();
        if (m.event.equals("link.moved") || "rt-link".equals(m.familyName())) {
            return text(m.repeats ? org.nlsniff.decode.RepeatedValues.lastOf(m.attrs) : m.attrs,
                    "ifname", "");
        }
        var matcher = DEV.matcher(e.summary());
        return matcher.find() ? matcher.group(1) : "";
    }

    private static String text(JsonNode o, String key, String dflt) {
        JsonNode v = o.get(key);
        return v != null && !v.isNull() ? v.asText() : dflt;
    }
}
