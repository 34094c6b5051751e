package org.nlsniff.source.linux;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An open network namespace file ({@code /run/netns/NAME}, {@code /proc/PID/ns/net}) as a file
 * descriptor, for requests that name a namespace by fd (RTM_GETNSID / RTM_NEWNSID with
 * NETNSA_FD). The descriptor number is only meaningful inside this process. Close it when done;
 * not thread-safe.
 */
public final class NamespaceFile implements AutoCloseable {
    private final Native nat;
    private int fd;

    private NamespaceFile(Native nat, int fd) {
        this.nat = nat;
        this.fd = fd;
    }

    /** Opens the file read-only (O_CLOEXEC). */
    public static NamespaceFile open(Path file) throws IOException {
        Native nat = Native.get();
        int fd = nat.libc.open(file.toString(), Native.O_RDONLY | Native.O_CLOEXEC);
        if (fd < 0) {
            throw new NativeIoException("open", nat.errno(), file.toString());
        }
        return new NamespaceFile(nat, fd);
    }

    /** The descriptor number, valid until {@link #close()}. */
    public int fd() {
        return fd;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            nat.libc.close(fd);
            fd = -1;
        }
    }
}
