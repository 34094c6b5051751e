package org.nlsniff.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.frame.Frame;
import org.nlsniff.testing.Netns;

/**
 * Tests for the native netlink doorway. Tests calling {@link Netns#assumeKernel()} need root and
 * create throwaway namespaces; everything they configure lives inside those.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetlinkSocketTest {

    private static final ByteOrder HOST = ByteOrder.nativeOrder();
    private static final int RTNLGRP_LINK = 1;
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_GETLINK = 18;
    private static final Duration WAIT = Duration.ofSeconds(10);

    // ------------------------------------------------------------------ no root needed

    @Test
    void nativeIoExceptionNamesSyscallAndErrno() {
        NativeIoException e = new NativeIoException("recvmsg", Native.ENOBUFS);
        assertEquals("recvmsg: ENOBUFS (No buffer space available)", e.getMessage());
        assertEquals("recvmsg", e.syscall());
        assertEquals("ENOBUFS", e.errnoName());
        assertEquals(105, e.errno()); // Linux value on x86_64 and aarch64

        NativeIoException h = new NativeIoException("setns", Native.EPERM, "needs root");
        assertEquals("setns: EPERM (Operation not permitted); needs root", h.getMessage());

        assertEquals("errno 9999", new NativeIoException("x", 9999).errnoName());
    }

    @Test
    void layoutsFollowTheRuntime() throws IOException {
        Native n = Native.get();
        if (n.ptrSize == 8) {
            assertEquals(16, n.iovSize);
            assertEquals(56, n.msgSize);
            assertEquals(16, n.msgIovOff);
            assertEquals(32, n.msgControlOff);
            assertEquals(40, n.msgControlLenOff);
            assertEquals(48, n.msgFlagsOff);
            assertEquals(16, n.cmsgHdrSpace);
            assertEquals(24, n.cmsgSpace(4));
        } else {
            assertEquals(8, n.iovSize);
            assertEquals(28, n.msgSize);
            assertEquals(12, n.cmsgHdrSpace);
            assertEquals(16, n.cmsgSpace(4));
        }
    }

    @Test
    void parsesNsidControlMessage() throws IOException {
        Native n = Native.get();
        Pointer control = n.allocate(256);
        assertNull(NetlinkSocket.parseNsid(n, control, 0));

        // A NETLINK_PKTINFO (type 3) message first, then LISTEN_ALL_NSID (type 8) holding 5.
        int off = putCmsg(n, control, 0, Native.SOL_NETLINK, 3, 7);
        int total = putCmsg(n, control, off, Native.SOL_NETLINK, Native.NETLINK_LISTEN_ALL_NSID, 5);
        assertEquals(5, NetlinkSocket.parseNsid(n, control, total));
        // Only the first (pktinfo) message: no nsid.
        assertNull(NetlinkSocket.parseNsid(n, control, off));
        // Garbage length is not followed.
        n.putSizeT(control, 0, 3);
        assertNull(NetlinkSocket.parseNsid(n, control, total));
    }

    private static int putCmsg(Native n, Pointer p, int off, int level, int type, int value) {
        n.putSizeT(p, off + n.cmsgLenOff, n.cmsgHdrSpace + 4L);
        p.putInt(off + n.cmsgLevelOff, level);
        p.putInt(off + n.cmsgTypeOff, type);
        p.putInt(off + n.cmsgHdrSpace, value);
        return off + n.cmsgSpace(4);
    }

    @Test
    void openInMissingNamespaceFileIsClear() {
        Path missing = Path.of("/run/netns/nlt-does-not-exist-" + Netns.randomSuffix());
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> NetlinkSocket.openInNamespace(missing, NetlinkSocket.NETLINK_ROUTE));
        assertEquals("open", e.syscall());
        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.getMessage().startsWith("open: ENOENT (No such file or directory)"), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    // ------------------------------------------------------------------ kernel tests

    @Test
    void receivesNewLinkInsideNamespace() throws Exception {
        Netns.assumeKernel();
        try (Netns ns = Netns.create();
                NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE)) {
            assertTrue(s.portId() != 0, "kernel assigns a port id at bind");
            s.joinGroup(RTNLGRP_LINK);
            String v = Netns.ifname("nltv");
            ns.ip("link", "add", v, "type", "veth", "peer", "name", Netns.ifname("nltw"));

            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            NetlinkSocket.Datagram d = receiveUntil(s, buf, b -> isNewLinkNaming(b, v));
            assertFalse(d.overrun());
            assertNull(d.nsid(), "own namespace: no nsid control message");
        }
    }

    @Test
    void openInNamespaceRestoresTheThreadsNamespace() throws Exception {
        Netns.assumeKernel();
        Path self = Path.of("/proc/thread-self/ns/net");
        Path before = Files.readSymbolicLink(self);
        try (Netns ns = Netns.create();
                NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE)) {
            assertEquals(before, Files.readSymbolicLink(self));
            assertTrue(s.toString().contains("protocol=0"));
        }
        assertEquals(before, Files.readSymbolicLink(self));
    }

    @Test
    void dumpSeesLoopback() throws Exception {
        Netns.assumeKernel();
        try (Netns ns = Netns.create();
                NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE)) {
            List<byte[]> reply = s.dump(getLinkDump(1));
            assertFalse(reply.isEmpty());
            assertTrue(reply.stream().anyMatch(b -> contains(b, "lo\0")), "a datagram names lo");
            byte[] last = reply.get(reply.size() - 1);
            assertTrue(hasMessageOfType(last, 3), "the last datagram holds NLMSG_DONE");
            // A second dump on the same socket works too (fresh seq).
            assertFalse(s.dump(getLinkDump(2)).isEmpty());
        }
    }

    @Test
    void listenAllNsidReportsPeerNsid() throws Exception {
        Netns.assumeKernel();
        try (Netns a = Netns.create();
                Netns b = Netns.create();
                NetlinkSocket s = NetlinkSocket.openInNamespace(a.path(), NetlinkSocket.NETLINK_ROUTE)) {
            s.setListenAllNsid(true);
            s.joinGroup(RTNLGRP_LINK);
            a.ip("netns", "set", b.name(), "5");
            String v = Netns.ifname("nltv");
            b.ip("link", "add", v, "type", "veth", "peer", "name", Netns.ifname("nltw"));

            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            NetlinkSocket.Datagram d = receiveUntil(s, buf, x -> isNewLinkNaming(x, v));
            assertEquals(5, d.nsid(), "datagram from namespace B carries B's nsid in A");

            // An event in A itself carries no nsid.
            String own = Netns.ifname("nltv");
            a.ip("link", "add", own, "type", "veth", "peer", "name", Netns.ifname("nltw"));
            NetlinkSocket.Datagram o = receiveUntil(s, buf, x -> isNewLinkNaming(x, own));
            assertNull(o.nsid());
        }
    }

    @Test
    void errorsNameTheSyscall() throws Exception {
        Netns.assumeKernel();
        try (Netns ns = Netns.create();
                NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE)) {
            NativeIoException e = assertThrows(NativeIoException.class, () -> s.joinGroup(-1));
            assertEquals("setsockopt", e.syscall());
            assertEquals("EINVAL", e.errnoName());
            assertTrue(e.getMessage().startsWith("setsockopt: EINVAL (Invalid argument)"), e.getMessage());
            s.joinGroup(RTNLGRP_LINK); // still usable
        }
    }

    @Test
    void openInNonNamespaceFileNamesSetns(@TempDir Path dir) throws Exception {
        Netns.assumeKernel();
        Path plain = Files.writeString(dir.resolve("not-a-netns"), "x");
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> NetlinkSocket.openInNamespace(plain, NetlinkSocket.NETLINK_ROUTE));
        assertEquals("setns", e.syscall());
        assertEquals("EINVAL", e.errnoName());
        assertTrue(e.getMessage().contains("is not a network namespace file"), e.getMessage());
    }

    @Test
    void optionsRoundTrip() throws Exception {
        Netns.assumeKernel();
        try (Netns ns = Netns.create();
                NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE)) {
            s.setExtAck(true);
            s.setListenAllNsid(false);
            s.setReceiveBuffer(1 << 20, true);
            assertTrue(s.receiveBufferSize() >= 1 << 20, "kernel doubles the forced value");
            s.setReceiveBuffer(64 * 1024, false);
            assertTrue(s.receiveBufferSize() >= 64 * 1024);
        }
    }

    @Test
    void tooLargeDatagramStaysQueued() throws Exception {
        Netns.assumeKernel();
        try (Netns ns = Netns.create();
                NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE)) {
            s.send(getLinkDump(7));
            ByteBuffer small = ByteBuffer.allocate(64);
            DatagramTooLargeException e = assertThrows(DatagramTooLargeException.class,
                    () -> s.receive(small, WAIT));
            assertTrue(e.length() > 64);
            assertEquals(64, e.capacity());
            ByteBuffer big = ByteBuffer.allocateDirect(64 * 1024); // direct buffers work too
            NetlinkSocket.Datagram d = s.receive(big, WAIT);
            assertNotNull(d);
            assertEquals(e.length(), d.length(), "the same datagram, not lost");
            assertEquals(0, big.position());
            assertEquals(d.length(), big.limit());
            assertTrue(big.order(HOST).getInt(0) <= d.length(), "first nlmsg_len within the datagram");
            assertEquals(7, big.getInt(8), "reply carries the request's seq");
        }
    }

    @Test
    void overrunIsReportedAndSocketStaysUsable() throws Exception {
        Netns.assumeKernel();
        try (Netns ns = Netns.create();
                NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE)) {
            s.setReceiveBuffer(0, false); // kernel minimum: a few notifications fill it
            s.joinGroup(RTNLGRP_LINK);
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                batch.append("link set lo mtu ").append(10000 + i).append('\n');
            }
            ns.ipBatch(batch.toString());

            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            boolean sawOverrun = false;
            NetlinkSocket.Datagram d;
            while ((d = s.receive(buf, Duration.ofMillis(500))) != null) {
                if (d.overrun()) {
                    sawOverrun = true;
                    assertEquals(0, d.length());
                    assertEquals(0, buf.limit());
                }
            }
            assertTrue(sawOverrun, "ENOBUFS reported as overrun");

            s.setReceiveBuffer(1 << 20, true);
            String v = Netns.ifname("nltv");
            ns.ip("link", "add", v, "type", "veth", "peer", "name", Netns.ifname("nltw"));
            receiveUntil(s, buf, b -> isNewLinkNaming(b, v));
        }
    }

    @Test
    void liveSourceYieldsFramesAndCloseUnblocksNext() throws Exception {
        Netns.assumeKernel();
        try (Netns ns = Netns.create()) {
            NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE);
            s.joinGroup(RTNLGRP_LINK);
            LiveSource src = new LiveSource(s);
            try {
                String v = Netns.ifname("nltv");
                ns.ip("link", "add", v, "type", "veth", "peer", "name", Netns.ifname("nltw"));
                long before = System.currentTimeMillis() * 1_000_000L;
                Frame f;
                do {
                    f = src.next();
                    assertNotNull(f);
                } while (!isNewLinkNaming(ByteBuffer.wrap(f.data()), v));
                assertEquals(Frame.Kind.DATA, f.kind());
                assertEquals("live", f.source());
                assertEquals(0, f.number());
                assertEquals(0, f.protocol());
                assertNull(f.nsid());
                assertEquals(HOST, f.order());
                assertNull(f.problem());
                assertTrue(f.tsNanos() >= before - 1_000_000_000L, "epoch nanoseconds");

                // Drain, then block in next() and close from this thread.
                while (s.receive(ByteBuffer.allocate(64 * 1024), Duration.ofMillis(200)) != null) {
                    // discard the remaining veth notifications
                }
                CompletableFuture<Frame> blocked = CompletableFuture.supplyAsync(() -> {
                    try {
                        return src.next();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                Thread.sleep(300);
                assertFalse(blocked.isDone(), "next() blocks while nothing arrives");
                long t0 = System.nanoTime();
                src.close();
                assertNull(blocked.get(2, TimeUnit.SECONDS), "next() returns null after close");
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
                assertNull(src.next());
                assertTrue(s.isClosed());
                src.close(); // idempotent
            } finally {
                src.close();
            }
        }
    }

    @Test
    void dumpTimesOutInsteadOfHanging() throws Exception {
        Netns.assumeKernel();
        try (Netns ns = Netns.create();
                NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE)) {
            // NLMSG_NOOP with only NLM_F_REQUEST: the kernel sends no reply, so no DONE/ERROR comes.
            byte[] noop = header(16, 1, 0x1, 9);
            long t0 = System.nanoTime();
            assertThrows(java.net.SocketTimeoutException.class,
                    () -> s.dump(noop, Duration.ofMillis(300)));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void closedSocketRejectsCalls() throws Exception {
        Netns.assumeKernel();
        try (Netns ns = Netns.create()) {
            NetlinkSocket s = NetlinkSocket.openInNamespace(ns.path(), NetlinkSocket.NETLINK_ROUTE);
            s.close();
            s.close();
            assertThrows(java.nio.channels.ClosedChannelException.class, () -> s.joinGroup(1));
            assertThrows(java.nio.channels.ClosedChannelException.class,
                    () -> s.receive(ByteBuffer.allocate(64 * 1024)));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** nlmsghdr len 32, RTM_GETLINK, NLM_F_REQUEST|NLM_F_DUMP, seq; then a zero ifinfomsg. */
    private static byte[] getLinkDump(int seq) {
        byte[] b = new byte[32];
        System.arraycopy(header(32, RTM_GETLINK, 0x301, seq), 0, b, 0, 16);
        return b;
    }

    private static byte[] header(int len, int type, int flags, int seq) {
        ByteBuffer h = ByteBuffer.allocate(len).order(HOST);
        h.putInt(0, len).putShort(4, (short) type).putShort(6, (short) flags).putInt(8, seq);
        return h.array();
    }

    private static NetlinkSocket.Datagram receiveUntil(
            NetlinkSocket s, ByteBuffer buf, Predicate<ByteBuffer> match) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no matching datagram within " + WAIT);
            }
            NetlinkSocket.Datagram d = s.receive(buf, Duration.ofNanos(left));
            if (d != null && !d.overrun()) {
                assertEquals(0, buf.position());
                assertEquals(d.length(), buf.limit());
                if (match.test(buf)) {
                    return d;
                }
            }
        }
    }

    /** First message is RTM_NEWLINK and the datagram contains the NUL-terminated name. */
    private static boolean isNewLinkNaming(ByteBuffer b, String ifname) {
        ByteBuffer v = b.duplicate().order(HOST);
        if (v.limit() < 16 || (v.getShort(4) & 0xffff) != RTM_NEWLINK) {
            return false;
        }
        byte[] bytes = new byte[v.limit()];
        v.get(0, bytes);
        return contains(bytes, ifname + "\0");
    }

    private static boolean hasMessageOfType(byte[] datagram, int type) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(HOST);
        int off = 0;
        while (off + 16 <= b.limit()) {
            int len = b.getInt(off);
            if ((b.getShort(off + 4) & 0xffff) == type) {
                return true;
            }
            if (len < 16) {
                return false;
            }
            off += (len + 3) & ~3;
        }
        return false;
    }

    private static boolean contains(byte[] hay, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + n.length <= hay.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (hay[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
