package org.nlsniff.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.nlsniff.frame.Frame;
import org.nlsniff.source.linux.LiveSource;
import org.nlsniff.source.linux.NativeIoException;
import org.nlsniff.source.linux.NetlinkSocket;

/**
 * Live listening: joins the groups first, then dumps the links on a second socket so interface
 * names are known from the first event on (no gap: anything that changes meanwhile arrives on the
 * joined socket), then streams until interrupted or {@code count} messages were emitted.
 * SIGINT/SIGTERM close the socket, and the stream ends with everything written flushed.
 */
public final class LiveCapture {
    private static final int RTM_GETLINK = 18;
    private static final int NLM_F_REQUEST_DUMP = 0x301;

    private final Set<Integer> groups;
    private final String groupNames;
    private final boolean dumpNames;
    private final long count;
    private final PrintWriter err;

    public LiveCapture(Set<Integer> groups, String groupNames, boolean dumpNames, long count,
            PrintWriter err) {
        this.groups = groups;
        this.groupNames = groupNames;
        this.dumpNames = dumpNames;
        this.count = count;
        this.err = err;
    }

    /** Runs until the end; returns the exit code. */
    public int run(Pipeline pipeline) throws IOException {
        NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
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
            for (int g : groups) {
                try {
                    socket.joinGroup(g);
                } catch (NativeIoException e) {
                    throw new IOException("cannot join multicast group " + g + ": " + e.getMessage()
                            + (e.errno() == 1 ? " (this group needs CAP_NET_ADMIN)" : ""), e);
                }
            }
            if (dumpNames) {
                learnLinks(pipeline);
            }
            // Like tcpdump's "listening on": tells a person (and scripts) the stream is live.
            err.println("nlsniff: listening on NETLINK_ROUTE, groups " + groupNames
                    + " " + groups + ", press Ctrl-C to stop");
            err.flush();
            Frame f;
            while (count != 0 && (f = source.next()) != null) {
                pipeline.accept(f);
                pipeline.flush();
                if (count >= 0 && pipeline.messages() >= count) {
                    break;
                }
            }
            return 0;
        } finally {
            source.close();
            pipeline.flush();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running and waits for `done`.
            }
        }
    }

    /** RTM_GETLINK dump on its own socket; the replies only feed the link table. */
    private void learnLinks(Pipeline pipeline) {
        ByteBuffer req = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        req.putInt(32).putShort((short) RTM_GETLINK).putShort((short) NLM_F_REQUEST_DUMP)
                .putInt(1).putInt(0);
        try (NetlinkSocket dump = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE)) {
            for (byte[] d : dump.dump(req.array())) {
                pipeline.learn(Frame.data(0, "live", 0, 0, null, ByteOrder.nativeOrder(), d));
            }
        } catch (IOException e) {
            err.println("nlsniff: warning: link dump failed, names will come from events only: "
                    + e.getMessage());
        }
    }
}
