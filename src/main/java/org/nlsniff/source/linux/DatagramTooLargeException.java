package org.nlsniff.source.linux;

import java.io.IOException;

/**
 * Thrown by {@link NetlinkSocket#receive(java.nio.ByteBuffer)} when the next datagram does not fit
 * the caller's buffer. Nothing is lost: the datagram stays queued on the socket, so the caller can
 * retry with a buffer of at least {@link #length()} bytes.
 *
 * <p>Immutable and thread-safe.
 */
public final class DatagramTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int length;
    private final int capacity;

    DatagramTooLargeException(int length, int capacity) {
        super("recvmsg: datagram of " + length + " bytes does not fit a buffer of " + capacity
                + " bytes; it is still queued, retry with a larger buffer");
        this.length = length;
        this.capacity = capacity;
    }

    /** Size of the queued datagram in bytes. */
    public int length() {
        return length;
    }

    /** Capacity of the buffer that was too small. */
    public int capacity() {
        return capacity;
    }
}
