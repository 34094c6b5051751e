package org.nlsniff.app;

import java.io.IOException;
import java.util.List;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.Event;
import org.nlsniff.event.GenlFamilies;
import org.nlsniff.event.LinkTable;
import org.nlsniff.event.MoveTracker;
import org.nlsniff.event.NamespaceNames;
import org.nlsniff.frame.Frame;
import org.nlsniff.sink.EventSink;
import org.nlsniff.sink.IpText;

/**
 * frame → decoder → enrichers → sinks, on one thread. The decoder is a pure function of bytes;
 * the enrichers remember what decoding alone cannot know: interface names per namespace (updated
 * before a link message is printed, as {@code ip monitor}'s cache is), generic netlink family
 * names, namespace names, and the two halves of a link moving between namespaces.
 */
public final class Pipeline {
    private final SpecDecoder decoder;
    private final LinkTable links = new LinkTable();
    private final GenlFamilies genl = new GenlFamilies();
    private final NamespaceNames names;
    private final MoveTracker moves;
    private final IpText text;
    private final List<EventSink> sinks;
    private long messages;
    private long limit = -1;

    /** A pipeline without namespace names that reports moves from deletions alone. */
    public Pipeline(SpecDecoder decoder, List<EventSink> sinks) {
        this(decoder, sinks, NamespaceNames.NONE, false);
    }

    /**
     * @param names namespace names (live: asked from the kernel; replays: none)
     * @param joinMoves wait for the target namespace's RTM_NEWLINK to complete a move (the source
     *     tells namespaces apart: live with all-nsid, pcapng)
     */
    public Pipeline(SpecDecoder decoder, List<EventSink> sinks, NamespaceNames names,
            boolean joinMoves) {
        this.decoder = decoder;
        this.sinks = sinks;
        this.names = names;
        this.moves = new MoveTracker(joinMoves, names);
        // ip resolves an nsid only in its own namespace; ids inside another are relative to it.
        this.text = new IpText(links, (fromNsid, nsid) -> fromNsid == null ? names.name(nsid) : null);
    }

    /** Learns names from messages without emitting them (start-up link dumps). */
    public void learn(Frame frame) {
        for (Message m : decoder.decode(frame)) {
            links.observe(m);
        }
    }

    /**
     * Decodes a frame and hands every message, and every event derived from it, to the sinks,
     * one message at a time (a datagram's messages are never all held at once).
     */
    public void accept(Frame frame) throws IOException {
        try {
            decoder.decode(frame, m -> {
                if (full()) {
                    return;
                }
                try {
                    handle(m);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Like {@link #accept(Frame)} for a frame decoded already ({@link DecodeAhead}). */
    public void accept(Frame frame, List<Message> decoded) throws IOException {
        for (Message m : decoded) {
            if (full()) {
                return;
            }
            handle(m);
        }
    }

    private void handle(Message m) throws IOException {
        names.observe(m);
        links.observe(m);
        genl.observe(m);
        addNamespaceNames(m);
        emit(new Event(m, text.lines(m), names.name(m.frame.nsid())));
        for (Event derived : moves.observe(m)) {
            emit(derived);
        }
    }

    /**
     * Emits an in-band notice that is not a netlink message ({@code dropped}, {@code resync}):
     * {@code attrs.count} carries a number when there is one.
     */
    public void notice(long tsNanos, String event, long count, String text) throws IOException {
        Frame f = new Frame(tsNanos, Frame.LIVE, 0, 0, null, java.nio.ByteOrder.nativeOrder(),
                new byte[0], Frame.Kind.DATA, null);
        Message m = new Message(f, 0, 0, 0, -1, 0, 0, 0, null);
        m.event = event;
        if (count > 0) {
            m.attrs.put("count", count);
        }
        emit(new Event(m, List.of(text), names.name(null)));
        flush();
    }

    /** Ends the stream: moves still waiting for their second half are reported as they are. */
    public void finish() throws IOException {
        for (Event derived : moves.flush()) {
            emit(derived);
        }
        flush();
    }

    /** Emits at most {@code n} events from now on (negative: no limit), as {@code -c N} asks. */
    public void limit(long n) {
        limit = n;
    }

    /** The limit is reached: nothing more will be emitted. */
    public boolean full() {
        return limit >= 0 && messages >= limit;
    }

    private void emit(Event e) throws IOException {
        if (full()) {
            return;
        }
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).accept(e);
        }
        messages++;
    }

    /** JSON gets {@code link_netns}/{@code new_netns} names beside the ids when they are known. */
    private void addNamespaceNames(Message m) {
        if (m.frame.nsid() != null || !"rt-link".equals(m.familyName())) {
            return;
        }
        addNamespaceName(m, "link_netnsid", "link_netns");
        addNamespaceName(m, "new_netnsid", "new_netns");
    }

    private void addNamespaceName(Message m, String idKey, String nameKey) {
        var id = org.nlsniff.decode.RepeatedValues.last(m.attrs.get(idKey));
        if (id != null && id.isIntegralNumber() && id.asInt() >= 0) {
            String n = names.name(id.asInt());
            if (n != null) {
                m.attrs.put(nameKey, n);
            }
        }
    }

    public void flush() throws IOException {
        for (EventSink s : sinks) {
            s.flush();
        }
    }

    public SpecDecoder decoder() {
        return decoder;
    }

    public LinkTable links() {
        return links;
    }

    /** Events emitted so far. */
    public long messages() {
        return messages;
    }
}
