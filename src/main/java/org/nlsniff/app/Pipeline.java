package org.nlsniff.app;

import java.io.IOException;
import java.util.List;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.Event;
import org.nlsniff.event.GenlFamilies;
import org.nlsniff.event.LinkTable;
import org.nlsniff.frame.Frame;
import org.nlsniff.sink.EventSink;
import org.nlsniff.sink.IpText;

/**
 * frame → decoder → enrichers → sinks, on one thread. The decoder is a pure function of bytes;
 * the link table remembers names across messages as ip's link cache does (updated before a
 * link message is printed, as {@code ip monitor} does).
 */
public final class Pipeline {
    private final SpecDecoder decoder;
    private final LinkTable links = new LinkTable();
    private final GenlFamilies genl = new GenlFamilies();
    private final IpText text;
    private final List<EventSink> sinks;
    private long messages;

    public Pipeline(SpecDecoder decoder, List<EventSink> sinks) {
        this.decoder = decoder;
        this.sinks = sinks;
        this.text = new IpText(links, (fromNsid, nsid) -> null);
    }

    /** Learns names from messages without emitting them (the start-up link dump). */
    public void learn(Frame frame) {
        for (Message m : decoder.decode(frame)) {
            links.observe(m);
        }
    }

    /** Decodes a frame and hands every message to every sink. */
    public void accept(Frame frame) throws IOException {
        for (Message m : decoder.decode(frame)) {
            links.observe(m);
            genl.observe(m);
            Event e = new Event(m, text.lines(m), null);
            for (EventSink s : sinks) {
                s.accept(e);
            }
            messages++;
        }
    }

    public void flush() throws IOException {
        for (EventSink s : sinks) {
            s.flush();
        }
    }

    public LinkTable links() {
        return links;
    }

    /** Messages emitted so far. */
    public long messages() {
        return messages;
    }
}
