package org.nlsniff.frame;

import java.nio.ByteOrder;

/**
 * One netlink datagram as it left a source: the bytes after any capture framing (for an nlmon
 * capture, after the 16-byte cooked header), plus where and when it was seen.
 *
 * <p>Immutable apart from {@code data}, which the source hands over and never touches again.
 *
 * @param tsNanos receive or capture time, nanoseconds since the epoch (UTC)
 * @param source {@code "live"} or the capture's file name (no directories, so output stays
 *     deterministic)
 * @param number 1-based frame number within the file; 0 for live frames
 * @param protocol netlink protocol ({@code 0} route, {@code 16} generic, ...); -1 when the framing
 *     was too damaged to tell
 * @param nsid source namespace id from the control message or capture comment; null = the
 *     listener's own namespace (or unknown for classic pcap)
 * @param order byte order of the netlink messages (the capturing host's)
 * @param data the datagram, possibly empty
 * @param kind {@link Kind#DATA} for a datagram, {@link Kind#OVERRUN} when the kernel reported
 *     ENOBUFS (data is then empty)
 * @param problem a framing problem (for example a frame shorter than its cooked header) or null
 * @param live true for what a live netlink socket received (a listener hears no requests, see
 *     {@code Message.isRequest}); false for frames read from a capture or hex text, whatever
 *     their {@code source} name (a capture may be called {@code live})
 */
public record Frame(
        long tsNanos,
        String source,
        long number,
        int protocol,
        Integer nsid,
        ByteOrder order,
        byte[] data,
        Kind kind,
        Problem problem,
        boolean live) {

    /** The name of the source of live frames and of in-band notices. */
    public static final String LIVE = "live";

    /** A frame that is not {@link #live}: from a capture, hex text or a notice. */
    public Frame(long tsNanos, String source, long number, int protocol, Integer nsid,
            ByteOrder order, byte[] data, Kind kind, Problem problem) {
        this(tsNanos, source, number, protocol, nsid, order, data, kind, problem, false);
    }

    /** What a frame carries. */
    public enum Kind {
        DATA,
        OVERRUN
    }

    /** A datagram frame without a framing problem. */
    public static Frame data(
            long tsNanos, String source, long number, int protocol, Integer nsid, ByteOrder order,
            byte[] data) {
        return new Frame(tsNanos, source, number, protocol, nsid, order, data, Kind.DATA, null);
    }

    /** A datagram a live netlink socket received now or in a dump: source {@value #LIVE}. */
    public static Frame live(long tsNanos, int protocol, Integer nsid, ByteOrder order,
            byte[] data) {
        return new Frame(tsNanos, LIVE, 0, protocol, nsid, order, data, Kind.DATA, null, true);
    }

    /** The live socket's report of lost messages (ENOBUFS): no data. */
    public static Frame liveOverrun(long tsNanos, int protocol, ByteOrder order) {
        return new Frame(tsNanos, LIVE, 0, protocol, null, order, new byte[0], Kind.OVERRUN, null,
                true);
    }
}
