package org.nlsniff.sink;

import java.io.IOException;
import java.io.Writer;
import org.nlsniff.event.Event;

/**
 * ip-monitor-like text: {@code [LABEL]} plus ip's lines, {@code [nsid N]} before events from
 * another namespace, and with timestamps an {@code [RFC 3339]} prefix as {@code ip -ts} prints.
 */
public final class TextSink implements EventSink {
    private final Writer out;
    private final boolean timestamps;

    public TextSink(Writer out, boolean timestamps) {
        this.out = out;
        this.timestamps = timestamps;
    }

    @Override
    public void accept(Event e) throws IOException {
        var m = e.message();
        StringBuilder sb = new StringBuilder(160);
        if (timestamps) {
            sb.append('[').append(Timestamps.rfc3339Micros(m.frame.tsNanos())).append("] ");
        }
        if (m.derivedFrom != null) {
            // A derived event spans namespaces: its line names both, so no [nsid] prefix.
            sb.append('[').append(IpText.label(m)).append("] ");
        } else {
            if (m.frame.nsid() != null) {
                sb.append("[nsid ").append(m.frame.nsid()).append(']');
            }
            sb.append('[').append(IpText.label(m)).append(']');
        }
        boolean first = true;
        for (String line : e.lines()) {
            if (!first) {
                sb.append('\n');
            }
            sb.append(line);
            first = false;
        }
        sb.append('\n');
        out.write(sb.toString());
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
