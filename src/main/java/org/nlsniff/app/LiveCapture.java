package org.nlsniff.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.NamespaceNames;
import org.nlsniff.frame.Frame;
import org.nlsniff.record.Recorder;
import org.nlsniff.source.linux.LiveSource;
import org.nlsniff.source.linux.NativeIoException;
import org.nlsniff.source.linux.NetlinkSocket;

/**
 * Live listening. Order of start-up: open the socket (inside {@code --netns} if given), enable
 * all-nsid, join the groups, then dump on a second socket (links to learn names; with
 * {@code --dump} also addresses, routes and nsids, emitted as events), then stream. Because the
 * groups are joined before the dump, nothing falls in a gap; what both the dump and the stream
 * report is dropped from the stream. SIGINT/SIGTERM close the socket and the stream ends with
 * everything flushed.
 */
public final class LiveCapture {
    private static final int RTM_GETLINK = 18;
    private static final int RTM_GETADDR = 22;
    private static final int RTM_GETROUTE = 26;
    private static final int RTM_GETNSID = 90;
    private static final int NLM_F_REQUEST_DUMP = 0x301;
    private static final long DEDUP_NANOS = 2_000_000_000L;

    /** What to listen to and how. */
    public record Options(Set<Integer> groups, String groupNames, boolean dumpNames, long count,
            boolean allNsid, Path netns, String netnsName, boolean assignNsids, boolean dump,
            int rcvbuf, Recorder recorder, boolean resync, int queue) {}

    private static final Frame END = Frame.live(0, 0, null, ByteOrder.nativeOrder(), new byte[0]);

    private final Options o;
    private final SpecDecoder decoder;
    private final PrintWriter err;
    private final Set<Integer> snapshotted = new HashSet<>();
    private final Set<ByteBuffer> dumped = new HashSet<>();
    private final IOException[] readerFailure = new IOException[1];
    private int seq = 1;
    private Pipeline pipeline;
    private NetnsDirectory directory;

    public LiveCapture(Options options, SpecDecoder decoder, PrintWriter err) {
        this.o = options;
        this.decoder = decoder;
        this.err = err;
    }

    private NetlinkSocket openSocket() throws IOException {
        return o.netns == null ? NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE)
                : NetlinkSocket.openInNamespace(o.netns, NetlinkSocket.NETLINK_ROUTE);
    }

    /**
     * Runs until interrupted or {@code count} events; returns the exit code.
     *
     * @param pipelines builds the pipeline from the namespace names and whether to join moves
     */
    public int run(BiFunction<NamespaceNames, Boolean, Pipeline> pipelines) throws IOException {
        NetlinkSocket socket = openSocket();
        LiveSource source = new LiveSource(socket);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            source.close();
            try {
                done.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nlsniff-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            directory = new NetnsDirectory(this::openSocket, decoder);
            String own = o.netnsName != null ? o.netnsName : ownNamespaceName();
            NamespaceNames names = new NamespaceNames() {
                @Override
                public String name(Integer nsid) {
                    return nsid == null ? own : directory.name(nsid);
                }

                @Override
                public void observe(Message m) {
                    onMessage(m);
                }
            };
            pipeline = pipelines.apply(names, o.allNsid);
            pipeline.limit(o.count);
            if (o.rcvbuf > 0) {
                // SO_RCVBUFFORCE when permitted (root), else SO_RCVBUF capped by rmem_max.
                socket.setReceiveBuffer(o.rcvbuf, true);
            }
            if (o.allNsid) {
                try {
                    socket.setListenAllNsid(true);
                } catch (NativeIoException e) {
                    throw new IOException("--all-nsid: " + e.getMessage()
                            + (e.errno() == 1 ? " (it needs CAP_NET_BROADCAST: run as root)" : ""), e);
                }
            }
            for (int g : o.groups) {
                try {
                    socket.joinGroup(g);
                } catch (NativeIoException e) {
                    throw new IOException("cannot join multicast group " + g + ": " + e.getMessage()
                            + (e.errno() == 1 ? " (this group needs CAP_NET_ADMIN)" : ""), e);
                }
            }
            if (o.assignNsids) {
                for (Map.Entry<String, Integer> e : directory.assignAll().entrySet()) {
                    err.println("nlsniff: netns " + e.getKey() + " has nsid " + e.getValue());
                }
            }
            directory.refresh();
            if (o.dumpNames || o.dump) {
                snapshot(null, o.netns);
            }
            // Like tcpdump's "listening on": tells a person (and scripts) the stream is live.
            err.println("nlsniff: listening on NETLINK_ROUTE" + (o.netns != null ? " in " + o.netns : "")
                    + ", groups " + o.groupNames + " " + o.groups
                    + (o.allNsid ? ", all namespaces with an nsid" : "") + ", press Ctrl-C to stop");
            err.flush();
            long dumpEnd = System.nanoTime() + DEDUP_NANOS;
            // The reader thread only receives, records and hands off: decoding and a slow
            // consumer never keep it from the socket. A full hand-off queue drops frames from
            // the output (not from a -w capture), counted and reported in-band.
            BlockingQueue<Frame> handoff = new ArrayBlockingQueue<>(Math.max(1, o.queue));
            AtomicLong dropped = new AtomicLong();
            Thread reader = new Thread(() -> {
                try {
                    Frame rf;
                    while ((rf = source.next()) != null) {
                        if (o.recorder != null) {
                            o.recorder.write(rf);
                        }
                        if (!handoff.offer(rf)) {
                            dropped.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    readerFailure[0] = e;
                } finally {
                    while (!handoff.offer(END)) {
                        // Make room for the end marker (we are stopping anyway); what makes room
                        // is counted like any other drop.
                        if (handoff.poll() != null) {
                            dropped.incrementAndGet();
                        }
                    }
                }
            }, "nlsniff-socket-reader");
            reader.setDaemon(true);
            reader.start();
            while (!pipeline.full()) { // -c N: the dump's events count too
                Frame f;
                try {
                    f = handoff.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (f == END) {
                    break;
                }
                reportDropped(f.tsNanos(), dropped.getAndSet(0));
                if (!dumped.isEmpty()) {
                    if (System.nanoTime() > dumpEnd) {
                        dumped.clear();
                    } else if (alreadyDumped(f)) {
                        continue; // reported by the dump already
                    }
                }
                pipeline.accept(f);
                if (f.kind() == Frame.Kind.OVERRUN && o.resync) {
                    pipeline.notice(f.tsNanos(), "resync", 0, "re-dumping links, addresses and routes after the overrun");
                    resync();
                }
                if (handoff.isEmpty()) {
                    pipeline.flush();
                }
                if (pipeline.full()) {
                    break;
                }
            }
            // Drops after the last frame written are reported too, before the stream ends.
            java.time.Instant now = java.time.Instant.now();
            reportDropped(now.getEpochSecond() * 1_000_000_000L + now.getNano(),
                    dropped.getAndSet(0));
            if (readerFailure[0] != null) {
                throw readerFailure[0];
            }
            return 0;
        } finally {
            source.close();
            if (pipeline != null) {
                pipeline.finish();
            }
            if (o.recorder != null) {
                o.recorder.close();
            }
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running and waits for `done`.
            }
        }
    }

    private void reportDropped(long tsNanos, long lost) throws IOException {
        if (lost > 0) {
            pipeline.notice(tsNanos, "dropped", lost, "nlsniff dropped " + lost
                    + " datagrams: the output could not keep up (they are still in a -w capture)");
        }
    }

    /** Namespace bookkeeping before the pipeline handles a message (on the reader thread). */
    private void onMessage(Message m) {
        if ("rt-nsid".equals(m.familyName()) && m.frame.nsid() == null) {
            directory.refresh(); // an nsid was assigned or removed in the listener's namespace
        }
        Integer nsid = m.frame.nsid();
        if (nsid != null && snapshotted.add(nsid)) {
            Path file = directory.file(nsid);
            if (file != null) {
                try {
                    snapshot(nsid, file);
                } catch (IOException e) {
                    err.println("nlsniff: warning: cannot snapshot links of nsid " + nsid + ": "
                            + e.getMessage());
                }
            }
        }
    }

    /** After an overrun: the own namespace's links, addresses and routes again, as dump events. */
    private void resync() throws IOException {
        snapshot(null, o.netns, new int[] {RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE}, true);
    }

    /**
     * Dumps one namespace's links to learn names (nsid null: the listener's own), and with
     * {@code --dump} its addresses, routes and nsids too, emitted as dump events.
     */
    private void snapshot(Integer nsid, Path file) throws IOException {
        snapshot(nsid, file, o.dump ? new int[] {RTM_GETNSID, RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE}
                : new int[] {RTM_GETLINK}, o.dump);
    }

    private void snapshot(Integer nsid, Path file, int[] types, boolean emit) throws IOException {
        try (NetlinkSocket s = file == null ? NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE)
                : NetlinkSocket.openInNamespace(file, NetlinkSocket.NETLINK_ROUTE)) {
            for (int type : types) {
                List<Frame> frames = new ArrayList<>();
                for (byte[] d : s.dump(dumpRequest(type))) {
                    Frame f = withoutControl(Frame.live(nowNanos(), 0, nsid,
                            ByteOrder.nativeOrder(), d));
                    if (f != null) {
                        pipeline.learn(f); // every name first, so no peer is printed as ifN
                        frames.add(f);
                    }
                }
                if (emit) {
                    for (Frame f : frames) {
                        remember(f);
                        pipeline.accept(f);
                    }
                }
            }
            pipeline.flush();
        } catch (NativeIoException e) {
            if (file != null && nsid == null) {
                throw e;
            }
            err.println("nlsniff: warning: dump failed, names will come from events only: "
                    + e.getMessage());
        }
    }

    private byte[] dumpRequest(int type) {
        int hdr = switch (type) {
            case RTM_GETLINK -> 16; // struct ifinfomsg
            case RTM_GETADDR -> 8;  // struct ifaddrmsg
            case RTM_GETROUTE -> 12; // struct rtmsg
            default -> 4;           // struct rtgenmsg, padded
        };
        ByteBuffer req = ByteBuffer.allocate(16 + hdr).order(ByteOrder.nativeOrder());
        req.putInt(16 + hdr).putShort((short) type).putShort((short) NLM_F_REQUEST_DUMP)
                .putInt(seq++).putInt(0);
        return req.array();
    }

    /**
     * The datagram without its control messages (NLMSG_DONE ending our own dump request is
     * plumbing, not an event); null when nothing else is left.
     */
    private static Frame withoutControl(Frame f) {
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream(f.data().length);
        ByteBuffer b = ByteBuffer.wrap(f.data()).order(f.order());
        int off = 0;
        while (f.data().length - off >= 16) {
            int len = b.getInt(off);
            if (len < 16 || len > f.data().length - off) {
                return f; // damaged: let the decoder report it as it is
            }
            if ((b.getShort(off + 4) & 0xffff) >= 16) {
                kept.write(f.data(), off, Math.min((len + 3) & ~3, f.data().length - off));
            }
            off += (len + 3) & ~3;
        }
        return kept.size() == 0 ? null : new Frame(f.tsNanos(), f.source(), f.number(),
                f.protocol(), f.nsid(), f.order(), kept.toByteArray(), f.kind(), f.problem(),
                f.live());
    }

    /** Remembers the bodies (after nlmsghdr) of dumped messages, to drop their stream twins. */
    private void remember(Frame f) {
        forEachBody(f, dumped::add);
    }

    private boolean alreadyDumped(Frame f) {
        boolean[] all = {true};
        Map<ByteBuffer, Boolean> seen = new HashMap<>();
        forEachBody(f, b -> {
            seen.put(b, true);
            all[0] &= dumped.contains(b);
        });
        if (all[0] && !seen.isEmpty()) {
            dumped.removeAll(seen.keySet());
            return true;
        }
        return false;
    }

    private static void forEachBody(Frame f, java.util.function.Consumer<ByteBuffer> each) {
        ByteBuffer b = ByteBuffer.wrap(f.data()).order(f.order());
        int off = 0;
        while (f.data().length - off >= 16) {
            int len = b.getInt(off);
            if (len < 16 || len > f.data().length - off) {
                return;
            }
            int type = b.getShort(off + 4) & 0xffff;
            if (type >= 16) {
                each.accept(ByteBuffer.wrap(f.data(), off + 16, len - 16).slice());
            }
            off += (len + 3) & ~3;
        }
    }

    private static long nowNanos() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * {@code root} when the listener is in the initial network namespace: it shares pid 1's, or
     * (when /proc/1 is not readable) its inode is init_net's fixed one, PROC_NET_INIT_INO
     * 0xEFFFFFF9 in include/linux/proc_ns.h of current kernels. Else null (unknown).
     */
    private static String ownNamespaceName() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            try {
                return self.equals(Files.readSymbolicLink(Path.of("/proc/1/ns/net"))) ? "root" : null;
            } catch (IOException | SecurityException e) {
                return self.toString().equals("net:[" + 0xEFFFFFF9L + "]") ? "root" : null;
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return null;
        }
    }
}
