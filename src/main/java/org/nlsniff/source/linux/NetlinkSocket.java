package org.nlsniff.source.linux;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import jnr.ffi.Pointer;
import org.nlsniff.source.linux.Native.LibC;

/**
 * A raw {@code AF_NETLINK} socket (for example {@code NETLINK_ROUTE}), created with
 * {@code SOCK_CLOEXEC} and bound to port id 0 so the kernel picks a unique port id, with no
 * multicast groups. Join groups one at a time with {@link #joinGroup(int)}.
 *
 * <h2>Thread safety</h2>
 * Intended for one reader thread. {@link #receive} and {@link #dump} are serialized by an internal
 * lock (a second caller waits), since they share the socket's native receive buffers. {@link #send},
 * the option setters, {@link #portId()} and {@link #receiveBufferSize()} may be called from any
 * thread. {@link #close()} may be called from any thread at any time: a {@code receive} blocked in
 * {@code poll(2)} is woken through an internal eventfd and throws
 * {@link AsynchronousCloseException}; the descriptors are released once no call is using them, so a
 * descriptor number is never reused under a running call. Waiting is done in {@code poll(2)}, which
 * {@link Thread#interrupt()} does not interrupt: stop a reader with {@code close()} or use the
 * timed {@link #receive(ByteBuffer, Duration)}.
 *
 * <h2>Buffers</h2>
 * {@link #receive(ByteBuffer)} writes into a caller-owned buffer that the caller may reuse for
 * every datagram; this class keeps no reference to it after the call returns. Messages are in the
 * host's byte order ({@link ByteOrder#nativeOrder()}).
 *
 * <p>Errors from system calls are {@link NativeIoException}s naming the call and errno;
 * {@code EINTR} is retried internally. Operations on a closed socket throw
 * {@link ClosedChannelException}.
 */
public final class NetlinkSocket implements AutoCloseable {

    /** {@code NETLINK_ROUTE}, the rtnetlink protocol. */
    public static final int NETLINK_ROUTE = 0;

    /** Time {@link #dump(byte[])} waits for the end of a dump. */
    public static final Duration DEFAULT_DUMP_TIMEOUT = Duration.ofSeconds(5);

    /** Smallest buffer {@link #dump} starts with; grown when a datagram does not fit. */
    private static final int DUMP_BUFFER_SIZE = 64 * 1024;
    /** Kernel netlink datagrams are at most about 32 KiB; keep the scratch at least this big. */
    private static final int MIN_SCRATCH = 64 * 1024;
    private static final int CONTROL_SIZE = 256;

    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;
    private static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;

    /**
     * What one {@link #receive} call got.
     *
     * @param length bytes now in the caller's buffer, at positions {@code 0..length} (0 on overrun)
     * @param nsid namespace id of the sender's network namespace as seen from the listener, taken
     *     from the datagram's {@code NETLINK_LISTEN_ALL_NSID} control message; null when the
     *     datagram has none, i.e. it comes from the socket's own namespace
     * @param overrun true when the kernel reported {@code ENOBUFS}: notifications were dropped
     *     because the receive buffer was full. No bytes were received; the socket stays usable.
     */
    public record Datagram(int length, Integer nsid, boolean overrun) {}

    private final Native nat;
    private final LibC libc;
    private final int fd;
    private final int wakeFd;
    private final int protocol;
    private final int portId;

    // Lifecycle: descriptors are closed when closed && users == 0.
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private int users;
    private boolean released;

    // Receive path, guarded by recvLock.
    private final Object recvLock = new Object();
    private final Pointer msg;
    private final Pointer iov;
    private final Pointer peekMsg;
    private final Pointer peekIov;
    private final Pointer control;
    private final Pointer pollFds;
    private Pointer scratch;
    private int scratchSize;
    private byte[] staging;
    private ByteBuffer dumpBuffer;

    private NetlinkSocket(Native nat, int fd, int protocol) throws IOException {
        this.nat = nat;
        this.libc = nat.libc;
        this.fd = fd;
        this.protocol = protocol;
        this.portId = queryPortId(nat, fd);
        int w = libc.eventfd(0, Native.EFD_CLOEXEC | Native.EFD_NONBLOCK);
        if (w < 0) {
            throw new NativeIoException("eventfd", nat.errno());
        }
        this.wakeFd = w;

        msg = nat.allocate(nat.msgSize);
        iov = nat.allocate(nat.iovSize);
        peekMsg = nat.allocate(nat.msgSize);
        peekIov = nat.allocate(nat.iovSize);
        control = nat.allocate(CONTROL_SIZE);
        pollFds = nat.allocate(2 * Native.POLLFD_SIZE);

        // Peek: zero-length iovec, MSG_TRUNC makes recvmsg return the datagram's real length.
        nat.putPointer(peekIov, nat.iovBaseOff, control);
        nat.putSizeT(peekIov, nat.iovLenOff, 0);
        nat.putPointer(peekMsg, nat.msgIovOff, peekIov);
        nat.putSizeT(peekMsg, nat.msgIovLenOff, 1);

        nat.putPointer(msg, nat.msgIovOff, iov);
        nat.putSizeT(msg, nat.msgIovLenOff, 1);
        nat.putPointer(msg, nat.msgControlOff, control);

        pollFds.putInt(0, fd);
        pollFds.putShort(4, Native.POLLIN);
        pollFds.putInt(Native.POLLFD_SIZE, wakeFd);
        pollFds.putShort(Native.POLLFD_SIZE + 4, Native.POLLIN);
    }

    /**
     * Opens a netlink socket in the calling thread's network namespace: {@code socket(AF_NETLINK,
     * SOCK_RAW | SOCK_CLOEXEC, protocol)}, then {@code bind} to port id 0 (kernel-assigned) with
     * no groups.
     *
     * @param protocol netlink protocol, e.g. {@link #NETLINK_ROUTE}
     * @return the open socket; the caller owns it and must close it
     * @throws NativeIoException if socket or bind fails
     * @throws IOException if libc cannot be bound through jnr-ffi
     */
    public static NetlinkSocket open(int protocol) throws IOException {
        Native nat = Native.get();
        int fd = nat.libc.socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new NativeIoException("socket", nat.errno(), "AF_NETLINK protocol " + protocol);
        }
        try {
            Pointer addr = nat.allocate(Native.SOCKADDR_NL_SIZE);
            addr.putShort(0, (short) Native.AF_NETLINK);
            addr.putInt(4, 0); // pid: let the kernel choose
            addr.putInt(8, 0); // groups: none (join with NETLINK_ADD_MEMBERSHIP)
            if (nat.libc.bind(fd, addr, Native.SOCKADDR_NL_SIZE) != 0) {
                throw new NativeIoException("bind", nat.errno());
            }
            return new NetlinkSocket(nat, fd, protocol);
        } catch (IOException | RuntimeException | Error e) {
            nat.libc.close(fd);
            throw e;
        }
    }

    /**
     * Opens a netlink socket inside another network namespace. The calling thread enters the
     * namespace with {@code setns(fd, CLONE_NEWNET)}, creates and binds the socket, and always
     * returns to its original namespace (saved from {@code /proc/thread-self/ns/net}) before this
     * method returns or throws. The socket stays bound to the namespace it was created in. Needs
     * root (CAP_SYS_ADMIN). Must be called from a platform thread.
     *
     * @param netnsFile a network namespace file, e.g. {@code /run/netns/NAME} or
     *     {@code /proc/PID/ns/net}
     * @param protocol netlink protocol, e.g. {@link #NETLINK_ROUTE}
     * @return the open socket; the caller owns it and must close it
     * @throws NativeIoException naming open, setns, socket or bind and the errno
     * @throws IllegalStateException if the thread could not return to its original namespace
     *     (the thread must then be considered unusable)
     */
    public static NetlinkSocket openInNamespace(Path netnsFile, int protocol) throws IOException {
        Objects.requireNonNull(netnsFile, "netnsFile");
        Native nat = Native.get();
        LibC libc = nat.libc;
        String path = netnsFile.toString();
        int target = libc.open(path, Native.O_RDONLY | Native.O_CLOEXEC);
        if (target < 0) {
            int e = nat.errno();
            String hint = e == Native.ENOENT
                    ? "network namespace file " + path + " does not exist"
                    : "cannot open network namespace file " + path;
            throw new NativeIoException("open", e, hint);
        }
        try {
            int self = libc.open("/proc/thread-self/ns/net", Native.O_RDONLY | Native.O_CLOEXEC);
            if (self < 0) {
                throw new NativeIoException("open", nat.errno(),
                        "cannot save the current network namespace from /proc/thread-self/ns/net");
            }
            try {
                return createIn(nat, target, self, path, protocol);
            } finally {
                libc.close(self);
            }
        } finally {
            libc.close(target);
        }
    }

    private static NetlinkSocket createIn(Native nat, int target, int self, String path, int protocol)
            throws IOException {
        LibC libc = nat.libc;
        if (libc.setns(target, Native.CLONE_NEWNET) != 0) {
            int e = nat.errno();
            String hint;
            if (e == Native.EPERM) {
                hint = "entering network namespace " + path + " needs root (CAP_SYS_ADMIN)";
            } else if (e == Native.EINVAL) {
                hint = path + " is not a network namespace file";
            } else {
                hint = "entering network namespace " + path;
            }
            throw new NativeIoException("setns", e, hint);
        }
        NetlinkSocket socket = null;
        try {
            socket = open(protocol);
            return socket;
        } finally {
            if (libc.setns(self, Native.CLONE_NEWNET) != 0) {
                int e = nat.errno();
                if (socket != null) {
                    socket.close();
                }
                throw new IllegalStateException("thread " + Thread.currentThread().getName()
                        + " is stuck in network namespace " + path,
                        new NativeIoException("setns", e, "returning to the original namespace"));
            }
        }
    }

    /** The netlink protocol this socket was opened with. Thread-safe. */
    public int protocol() {
        return protocol;
    }

    /**
     * The socket's port id (nl_pid from {@code getsockname} after bind), unique per protocol within
     * its namespace. Kernel replies to this socket's requests carry it in nlmsg_pid. Thread-safe.
     */
    public int portId() {
        return portId;
    }

    /** True once {@link #close()} has been called. Thread-safe. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Joins one multicast group: {@code setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)}.
     * Works for every group number, unlike the 32-bit bind mask. Thread-safe.
     *
     * @param group group number, e.g. 1 for RTNLGRP_LINK, 28 for RTNLGRP_NSID
     * @throws NativeIoException "setsockopt: EINVAL ..." for a group the protocol does not have
     */
    public void joinGroup(int group) throws IOException {
        setIntOption(Native.SOL_NETLINK, Native.NETLINK_ADD_MEMBERSHIP, group,
                "NETLINK_ADD_MEMBERSHIP group " + group);
    }

    /** Leaves one multicast group ({@code NETLINK_DROP_MEMBERSHIP}). Thread-safe. */
    public void leaveGroup(int group) throws IOException {
        setIntOption(Native.SOL_NETLINK, Native.NETLINK_DROP_MEMBERSHIP, group,
                "NETLINK_DROP_MEMBERSHIP group " + group);
    }

    /**
     * Enables or disables {@code NETLINK_LISTEN_ALL_NSID}: also receive notifications from other
     * namespaces that have an nsid in this socket's namespace; such datagrams report that nsid in
     * {@link Datagram#nsid()}. Thread-safe.
     */
    public void setListenAllNsid(boolean on) throws IOException {
        setIntOption(Native.SOL_NETLINK, Native.NETLINK_LISTEN_ALL_NSID, on ? 1 : 0,
                "NETLINK_LISTEN_ALL_NSID");
    }

    /** Enables or disables extended acks ({@code NETLINK_EXT_ACK}). Thread-safe. */
    public void setExtAck(boolean on) throws IOException {
        setIntOption(Native.SOL_NETLINK, Native.NETLINK_EXT_ACK, on ? 1 : 0, "NETLINK_EXT_ACK");
    }

    /**
     * Sets the receive buffer size. With {@code force}, tries {@code SO_RCVBUFFORCE} (exceeds
     * rmem_max, needs CAP_NET_ADMIN) and falls back to {@code SO_RCVBUF} on EPERM; without it uses
     * {@code SO_RCVBUF}, which the kernel caps at net.core.rmem_max. The kernel doubles the value
     * for bookkeeping; read the result with {@link #receiveBufferSize()}. Thread-safe.
     */
    public void setReceiveBuffer(int bytes, boolean force) throws IOException {
        if (force) {
            try {
                setIntOption(Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE");
                return;
            } catch (NativeIoException e) {
                if (e.errno() != Native.EPERM) {
                    throw e;
                }
            }
        }
        setIntOption(Native.SOL_SOCKET, Native.SO_RCVBUF, bytes, "SO_RCVBUF");
    }

    /** The current receive buffer size in bytes ({@code getsockopt SO_RCVBUF}). Thread-safe. */
    public int receiveBufferSize() throws IOException {
        acquire();
        try {
            Pointer value = nat.intValue(0);
            Pointer len = nat.intValue(4);
            if (libc.getsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, value, len) != 0) {
                throw new NativeIoException("getsockopt", nat.errno(), "SO_RCVBUF");
            }
            return value.getInt(0);
        } finally {
            release();
        }
    }

    /**
     * Sends one datagram to the kernel (port id 0) with {@code sendto}. The caller builds the
     * complete message(s), including nlmsg_len, nlmsg_seq and flags; the array is only read during
     * the call. Thread-safe.
     */
    public void send(byte[] message) throws IOException {
        Objects.requireNonNull(message, "message");
        acquire();
        try {
            Pointer buf = nat.allocate(Math.max(1, message.length));
            buf.put(0, message, 0, message.length);
            Pointer addr = nat.allocate(Native.SOCKADDR_NL_SIZE);
            addr.putShort(0, (short) Native.AF_NETLINK);
            while (true) {
                long n = libc.sendto(fd, buf, message.length, 0, addr, Native.SOCKADDR_NL_SIZE);
                if (n >= 0) {
                    if (n != message.length) {
                        throw new IOException("sendto: sent " + n + " of " + message.length + " bytes");
                    }
                    return;
                }
                int e = nat.errno();
                if (e != Native.EINTR) {
                    throw new NativeIoException("sendto", e);
                }
            }
        } finally {
            release();
        }
    }

    /**
     * Blocks until a datagram arrives and copies it into {@code into}.
     *
     * <p>On return the bytes are at positions {@code 0..length} of {@code into}, with position 0 and
     * limit {@code length}; anything there before is overwritten. The datagram is first measured
     * with {@code recvmsg(MSG_PEEK | MSG_TRUNC)}: if it is larger than {@code into.capacity()}, a
     * {@link DatagramTooLargeException} is thrown and the datagram stays queued, so no bytes are
     * ever lost. Use a buffer of at least 64 KiB (kernel datagrams are at most about 32 KiB).
     *
     * <p>When the kernel reports {@code ENOBUFS} (the receive queue overflowed and notifications
     * were dropped) a {@code Datagram} with {@code overrun = true} and length 0 is returned and the
     * socket remains usable.
     *
     * @param into caller-owned, writable buffer; reusable across calls, not retained
     * @return the datagram's length and nsid, or an overrun marker
     * @throws AsynchronousCloseException if {@link #close()} was called while waiting
     * @throws ClosedChannelException if the socket was already closed
     */
    public Datagram receive(ByteBuffer into) throws IOException {
        return receive(into, -1L);
    }

    /**
     * Like {@link #receive(ByteBuffer)} but waits at most {@code timeout}.
     *
     * @return the datagram, or null if none arrived in time ({@code into} is then untouched)
     */
    public Datagram receive(ByteBuffer into, Duration timeout) throws IOException {
        return receive(into, timeoutNanos(timeout));
    }

    private Datagram receive(ByteBuffer into, long timeoutNanos) throws IOException {
        Objects.requireNonNull(into, "into");
        if (into.isReadOnly()) {
            throw new IllegalArgumentException("receive buffer is read-only");
        }
        acquire();
        try {
            synchronized (recvLock) {
                return receiveLocked(into, timeoutNanos);
            }
        } finally {
            release();
        }
    }

    private Datagram receiveLocked(ByteBuffer into, long timeoutNanos) throws IOException {
        boolean forever = timeoutNanos < 0;
        long deadline = forever ? 0L : System.nanoTime() + timeoutNanos;
        while (true) {
            if (!awaitReadable(forever, deadline)) {
                return null;
            }
            long n = libc.recvmsg(fd, peekMsg, Native.MSG_PEEK | Native.MSG_TRUNC | Native.MSG_DONTWAIT);
            if (n < 0) {
                int e = nat.errno();
                if (e == Native.EINTR || e == Native.EAGAIN) {
                    continue;
                }
                if (e == Native.ENOBUFS) {
                    return overrun(into);
                }
                throw new NativeIoException("recvmsg", e);
            }
            int capacity = into.capacity();
            if (n > capacity) {
                throw new DatagramTooLargeException((int) Math.min(n, Integer.MAX_VALUE), capacity);
            }
            ensureScratch((int) n);
            while (true) {
                nat.putPointer(iov, nat.iovBaseOff, scratch);
                nat.putSizeT(iov, nat.iovLenOff, scratchSize);
                nat.putSizeT(msg, nat.msgControlLenOff, CONTROL_SIZE);
                msg.putInt(nat.msgFlagsOff, 0);
                long m = libc.recvmsg(fd, msg, Native.MSG_TRUNC | Native.MSG_DONTWAIT);
                if (m >= 0) {
                    if (m > scratchSize || m > capacity) {
                        // Only possible if another process reads this socket between peek and read.
                        throw new IOException("recvmsg: datagram grew from " + n + " to " + m
                                + " bytes between peek and read; it was truncated");
                    }
                    int len = (int) m;
                    copyOut(len, into);
                    return new Datagram(len, parseNsid(nat, control, nat.getSizeT(msg, nat.msgControlLenOff)), false);
                }
                int e = nat.errno();
                if (e == Native.EINTR) {
                    continue;
                }
                if (e == Native.EAGAIN) {
                    break; // vanished (another reader); wait again
                }
                if (e == Native.ENOBUFS) {
                    return overrun(into);
                }
                throw new NativeIoException("recvmsg", e);
            }
        }
    }

    /** Waits with poll(2) on the socket and the wake-up eventfd; false on timeout. */
    private boolean awaitReadable(boolean forever, long deadline) throws IOException {
        while (true) {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            int timeoutMs;
            if (forever) {
                timeoutMs = -1;
            } else {
                long left = deadline - System.nanoTime();
                timeoutMs = left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
            }
            pollFds.putShort(6, (short) 0);
            pollFds.putShort(Native.POLLFD_SIZE + 6, (short) 0);
            int r = libc.poll(pollFds, 2, timeoutMs);
            if (r < 0) {
                int e = nat.errno();
                if (e == Native.EINTR) {
                    continue;
                }
                throw new NativeIoException("poll", e);
            }
            if (closed || pollFds.getShort(Native.POLLFD_SIZE + 6) != 0) {
                throw new AsynchronousCloseException();
            }
            short revents = pollFds.getShort(6);
            if ((revents & Native.POLLNVAL) != 0) {
                throw new IOException("poll: POLLNVAL on netlink socket descriptor " + fd);
            }
            if (revents != 0) {
                return true; // POLLIN, or POLLERR for a pending ENOBUFS that recvmsg will report
            }
            if (!forever && deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }

    private void ensureScratch(int needed) {
        if (scratch == null || scratchSize < needed) {
            int size = Math.max(MIN_SCRATCH, Integer.highestOneBit(Math.max(1, needed - 1)) << 1);
            if (size < needed) {
                size = needed;
            }
            scratch = nat.allocate(size);
            scratchSize = size;
        }
    }

    private void copyOut(int len, ByteBuffer into) {
        into.clear();
        if (into.hasArray()) {
            scratch.get(0, into.array(), into.arrayOffset(), len);
        } else {
            if (staging == null || staging.length < len) {
                staging = new byte[Math.max(len, 4096)];
            }
            scratch.get(0, staging, 0, len);
            into.put(0, staging, 0, len);
        }
        into.position(0);
        into.limit(len);
    }

    private static Datagram overrun(ByteBuffer into) {
        into.clear();
        into.limit(0);
        return new Datagram(0, null, true);
    }

    /**
     * Walks the control messages (CMSG_FIRSTHDR/CMSG_NXTHDR with the runtime's size_t alignment) and
     * returns the int of a SOL_NETLINK / NETLINK_LISTEN_ALL_NSID message, or null if there is none.
     */
    static Integer parseNsid(Native nat, Pointer control, long controlLen) {
        Integer nsid = null;
        long end = Math.min(controlLen, control.size() > 0 ? control.size() : controlLen);
        long off = 0;
        while (off + nat.cmsgHdrSpace <= end) {
            long len = nat.getSizeT(control, off + nat.cmsgLenOff);
            if (len < nat.cmsgHdrSpace || off + len > end) {
                break;
            }
            int level = control.getInt(off + nat.cmsgLevelOff);
            int type = control.getInt(off + nat.cmsgTypeOff);
            if (level == Native.SOL_NETLINK && type == Native.NETLINK_LISTEN_ALL_NSID
                    && len >= nat.cmsgHdrSpace + 4L) {
                nsid = control.getInt(off + nat.cmsgHdrSpace);
            }
            off += nat.cmsgAlign((int) len);
        }
        return nsid;
    }

    /**
     * Runs a dump with the {@link #DEFAULT_DUMP_TIMEOUT}. See {@link #dump(byte[], Duration)}.
     */
    public List<byte[]> dump(byte[] request) throws IOException {
        return dump(request, DEFAULT_DUMP_TIMEOUT);
    }

    /**
     * Sends a request (typically with {@code NLM_F_REQUEST | NLM_F_DUMP}) and collects the reply.
     *
     * <p>The caller sets nlmsg_seq and flags in {@code request}. Datagrams are received until one
     * holds an {@code NLMSG_DONE} or {@code NLMSG_ERROR} with the request's sequence number and
     * this socket's port id; every datagram containing a message with that sequence number and
     * port id is returned, in order, including the final one. Other datagrams (for example
     * multicast notifications, if this socket joined groups) are skipped, so use a socket without
     * groups for dumps. The caller interprets error codes in NLMSG_ERROR / NLMSG_DONE.
     *
     * <p>Holds the receive lock for the whole dump (one reader thread).
     *
     * @param request one complete netlink request in host byte order, at least 16 bytes
     * @param timeout upper bound for the whole dump
     * @return the reply datagrams; each array is a fresh copy owned by the caller
     * @throws SocketTimeoutException if the dump did not end within {@code timeout}
     * @throws NativeIoException on a socket error, including ENOBUFS (the reply may be incomplete)
     */
    public List<byte[]> dump(byte[] request, Duration timeout) throws IOException {
        Objects.requireNonNull(request, "request");
        if (request.length < NLMSG_HDRLEN) {
            throw new IllegalArgumentException("request shorter than a netlink header: " + request.length);
        }
        ByteOrder order = ByteOrder.nativeOrder();
        int seq = ByteBuffer.wrap(request).order(order).getInt(8);
        long deadline = System.nanoTime() + timeoutNanos(timeout);
        acquire();
        try {
            synchronized (recvLock) {
                send(request);
                List<byte[]> out = new ArrayList<>();
                ByteBuffer buf = dumpBuffer != null ? dumpBuffer : ByteBuffer.allocate(DUMP_BUFFER_SIZE);
                while (true) {
                    long left = deadline - System.nanoTime();
                    Datagram d;
                    try {
                        d = left <= 0 ? null : receiveLocked(buf, left);
                    } catch (DatagramTooLargeException e) {
                        buf = ByteBuffer.allocate(e.length());
                        continue;
                    } finally {
                        dumpBuffer = buf;
                    }
                    if (d == null) {
                        throw new SocketTimeoutException("dump: no NLMSG_DONE or NLMSG_ERROR for seq "
                                + Integer.toUnsignedString(seq) + " within " + timeout.toMillis() + " ms");
                    }
                    if (d.overrun()) {
                        throw new NativeIoException("recvmsg", Native.ENOBUFS,
                                "the receive queue overflowed during the dump; the reply may be incomplete");
                    }
                    buf.order(order);
                    boolean ours = false;
                    boolean done = false;
                    int off = 0;
                    int len = d.length();
                    while (off + NLMSG_HDRLEN <= len) {
                        int mlen = buf.getInt(off);
                        int type = buf.getShort(off + 4) & 0xffff;
                        int mseq = buf.getInt(off + 8);
                        int mpid = buf.getInt(off + 12);
                        if (mseq == seq && mpid == portId) {
                            ours = true;
                            if (type == NLMSG_DONE || type == NLMSG_ERROR) {
                                done = true;
                            }
                        }
                        if (mlen < NLMSG_HDRLEN) {
                            break;
                        }
                        off += (mlen + 3) & ~3;
                    }
                    if (ours) {
                        out.add(Arrays.copyOf(buf.array(), len));
                    }
                    if (done) {
                        return out;
                    }
                }
            }
        } finally {
            release();
        }
    }

    /**
     * Closes the socket. Idempotent and callable from any thread. A {@link #receive} blocked in
     * another thread is woken at once and throws {@link AsynchronousCloseException}; the file
     * descriptors are closed as soon as no call is using them (immediately if none is).
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (users > 0) {
                wake();
            } else {
                releaseDescriptors();
            }
        }
    }

    @Override
    public String toString() {
        return "NetlinkSocket[protocol=" + protocol + ", portId=" + Integer.toUnsignedString(portId)
                + (closed ? ", closed" : "") + "]";
    }

    // ---- internals ----

    private void setIntOption(int level, int option, int value, String what) throws IOException {
        acquire();
        try {
            Pointer p = nat.intValue(value);
            if (libc.setsockopt(fd, level, option, p, 4) != 0) {
                throw new NativeIoException("setsockopt", nat.errno(), what);
            }
        } finally {
            release();
        }
    }

    private static int queryPortId(Native nat, int fd) throws IOException {
        Pointer addr = nat.allocate(Native.SOCKADDR_NL_SIZE);
        Pointer len = nat.intValue(Native.SOCKADDR_NL_SIZE);
        if (nat.libc.getsockname(fd, addr, len) != 0) {
            throw new NativeIoException("getsockname", nat.errno());
        }
        return addr.getInt(4);
    }

    private void acquire() throws ClosedChannelException {
        synchronized (lifecycle) {
            if (closed) {
                throw new ClosedChannelException();
            }
            users++;
        }
    }

    private void release() {
        synchronized (lifecycle) {
            users--;
            if (closed && users == 0) {
                releaseDescriptors();
            }
        }
    }

    /** Called with the lifecycle lock held, while the descriptors are still open. */
    private void wake() {
        Pointer one = nat.allocate(8);
        one.putLongLong(0, 1L);
        libc.write(wakeFd, one, 8); // nonblocking eventfd; a full counter already means "woken"
    }

    /** Called with the lifecycle lock held. close(2) is not retried: Linux frees the fd on EINTR. */
    private void releaseDescriptors() {
        if (!released) {
            released = true;
            libc.close(fd);
            libc.close(wakeFd);
        }
    }

    /** Timeout in nanoseconds, clamped to [0, ~73 years] so deadline arithmetic cannot overflow. */
    private static long timeoutNanos(Duration d) {
        Objects.requireNonNull(d, "timeout");
        if (d.isNegative()) {
            return 0L;
        }
        try {
            return Math.min(d.toNanos(), MAX_TIMEOUT_NANOS);
        } catch (ArithmeticException e) {
            return MAX_TIMEOUT_NANOS;
        }
    }
}
