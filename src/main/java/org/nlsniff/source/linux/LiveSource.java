package org.nlsniff.source.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.FrameSource;

/**
 * Frames received live from a {@link NetlinkSocket}: each datagram becomes one {@link Frame} with
 * source {@code "live"}, number 0, the socket's protocol, the datagram's nsid (null = the socket's
 * own namespace), host byte order, and the receive time from {@link Instant#now()} taken right
 * after the datagram arrived. A kernel {@code ENOBUFS} becomes a {@link Frame.Kind#OVERRUN} frame
 * with empty data; the stream continues after it.
 *
 * <p><b>Thread safety:</b> one reader thread calls {@link #next()}. {@link #close()} may be called
 * from any other thread: it closes the socket, whose internal eventfd wakes a {@code next()}
 * blocked in {@code poll(2)} immediately, and that {@code next()} then returns null (end of
 * stream). Every later {@code next()} returns null too.
 *
 * <p><b>Ownership:</b> the source takes over the socket and closes it in {@link #close()}. It owns
 * its receive buffer (64 KiB, grown when a larger datagram is announced, so nothing is truncated);
 * every frame's {@code data} is a fresh array handed to the caller.
 */
public final class LiveSource implements FrameSource {

    private static final int INITIAL_BUFFER = 64 * 1024;

    private final NetlinkSocket socket;
    private final ByteOrder order = ByteOrder.nativeOrder();
    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_BUFFER);
    private volatile boolean closed;

    /**
     * @param socket an open netlink socket, already configured (groups joined, options set); this
     *     source owns it from now on
     */
    public LiveSource(NetlinkSocket socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
    }

    /**
     * Blocks until the next datagram arrives.
     *
     * @return a {@link Frame.Kind#DATA} or {@link Frame.Kind#OVERRUN} frame, or null once the source
     *     (or its socket) has been closed
     * @throws NativeIoException if the socket fails
     */
    @Override
    public Frame next() throws IOException {
        while (!closed) {
            NetlinkSocket.Datagram d;
            try {
                d = socket.receive(buffer);
            } catch (DatagramTooLargeException e) {
                buffer = ByteBuffer.allocate(e.length()); // the datagram is still queued
                continue;
            } catch (ClosedChannelException e) {
                if (closed || socket.isClosed()) {
                    return null;
                }
                throw e;
            }
            long ts = epochNanos(Instant.now());
            if (d.overrun()) {
                return Frame.liveOverrun(ts, socket.protocol(), order);
            }
            byte[] data = Arrays.copyOf(buffer.array(), d.length());
            return Frame.live(ts, socket.protocol(), d.nsid(), order, data);
        }
        return null;
    }

    /** Closes the socket; idempotent, callable from any thread (wakes a blocked {@link #next()}). */
    @Override
    public void close() {
        closed = true;
        socket.close();
    }

    private static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
