package org.nlsniff.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.Frame;
import org.nlsniff.source.linux.NamespaceFile;
import org.nlsniff.source.linux.NetlinkSocket;

/**
 * Names of the network namespaces the listener can see: every file under /run/netns (and
 * /var/run/netns) is asked for its nsid in the listener's namespace with RTM_GETNSID
 * (NETNSA_FD), as {@code ip netns list-id} does. Refreshed when the kernel announces an nsid
 * change or an unnamed nsid shows up. Used by the one pipeline thread.
 */
public final class NetnsDirectory {
    private static final List<Path> DIRS = List.of(Path.of("/run/netns"), Path.of("/var/run/netns"));
    private static final int RTM_NEWNSID = 88;
    private static final int RTM_GETNSID = 90;
    private static final int NETNSA_NSID = 1;
    private static final int NETNSA_FD = 3;
    private static final long MIN_REFRESH_NANOS = 500_000_000L;

    /** Opens a NETLINK_ROUTE socket in the listener's namespace. */
    @FunctionalInterface
    public interface SocketFactory {
        NetlinkSocket open() throws IOException;
    }

    private final SocketFactory sockets;
    private final SpecDecoder decoder;
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<String, Path> files = new TreeMap<>();
    private long lastRefresh = Long.MIN_VALUE / 2;
    private int seq = 1;

    public NetnsDirectory(SocketFactory sockets, SpecDecoder decoder) {
        this.sockets = sockets;
        this.decoder = decoder;
    }

    /** The name of the namespace with this nsid in the listener's namespace, or null. */
    public String name(int nsid) {
        String n = names.get(nsid);
        if (n == null && System.nanoTime() - lastRefresh > MIN_REFRESH_NANOS) {
            refresh();
            n = names.get(nsid);
        }
        return n;
    }

    /** The namespace file of a named nsid (to open sockets inside it), or null. */
    public Path file(int nsid) {
        String n = name(nsid);
        return n == null ? null : files.get(n);
    }

    /** Forgets and asks the kernel again. Errors leave the map empty rather than fail. */
    public void refresh() {
        lastRefresh = System.nanoTime();
        names.clear();
        files.clear();
        files.putAll(namedFiles());
        if (files.isEmpty()) {
            return;
        }
        try (NetlinkSocket s = sockets.open()) {
            for (Map.Entry<String, Path> e : files.entrySet()) {
                Integer id = query(s, e.getValue(), RTM_GETNSID, null);
                if (id != null && id >= 0) {
                    names.putIfAbsent(id, e.getKey());
                }
            }
        } catch (IOException e) {
            // No names then: events still carry their nsid numbers.
        }
    }

    /**
     * Gives every named namespace without an nsid one (RTM_NEWNSID with NETNSA_NSID -1, the
     * kernel picks), as {@code ip netns set NAME auto} does; returns name → nsid of all of them.
     */
    public Map<String, Integer> assignAll() throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (NetlinkSocket s = sockets.open()) {
            for (Map.Entry<String, Path> e : namedFiles().entrySet()) {
                Integer id = query(s, e.getValue(), RTM_GETNSID, null);
                if (id == null || id < 0) {
                    query(s, e.getValue(), RTM_NEWNSID, -1);
                    id = query(s, e.getValue(), RTM_GETNSID, null);
                }
                if (id != null) {
                    out.put(e.getKey(), id);
                }
            }
        }
        refresh();
        return out;
    }

    private static Map<String, Path> namedFiles() {
        Map<String, Path> out = new TreeMap<>();
        for (Path dir : DIRS) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    out.putIfAbsent(p.getFileName().toString(), p);
                }
            } catch (IOException e) {
                // unreadable directory: no names from it
            }
        }
        return out;
    }

    /** One RTM_GETNSID / RTM_NEWNSID round trip naming the namespace by fd; the reply's nsid. */
    private Integer query(NetlinkSocket s, Path file, int type, Integer nsid) throws IOException {
        try (NamespaceFile ns = NamespaceFile.open(file)) {
            int len = 16 + 4 + 8 + (nsid != null ? 8 : 0);
            ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
            b.putInt(len).putShort((short) type).putShort((short) 0x5) // REQUEST | ACK
                    .putInt(seq++).putInt(0);
            b.putInt(0); // struct rtgenmsg, padded to 4
            b.putShort((short) 8).putShort((short) NETNSA_FD).putInt(ns.fd());
            if (nsid != null) {
                b.putShort((short) 8).putShort((short) NETNSA_NSID).putInt(nsid);
            }
            Integer found = null;
            for (byte[] d : s.dump(b.array())) {
                for (Message m : decoder.decode(Frame.live(0, 0, null,
                        ByteOrder.nativeOrder(), d))) {
                    if (m.type == RTM_NEWNSID && m.attrs.has("nsid")) {
                        found = org.nlsniff.decode.RepeatedValues.last(m.attrs.get("nsid")).asInt();
                    }
                }
            }
            return found;
        } catch (IOException e) {
            return null; // a file that vanished or is not a namespace: no name for it
        }
    }
}
