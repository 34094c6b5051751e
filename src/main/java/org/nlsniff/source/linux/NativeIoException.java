package org.nlsniff.source.linux;

import java.io.IOException;
import jnr.constants.platform.Errno;

/**
 * A failed Linux system call: which call, and the {@code errno} it set.
 *
 * <p>The message has the form {@code "recvmsg: ENOBUFS (No buffer space available)"}, optionally
 * followed by {@code "; "} and a hint for the user (for example that entering a network namespace
 * needs root). {@code EINTR} is never reported: the socket code retries interrupted calls itself.
 *
 * <p>Immutable and thread-safe.
 */
public final class NativeIoException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String syscall;
    private final int errno;

    /**
     * @param syscall name of the failed call, e.g. {@code "setsockopt"}
     * @param errno the positive errno value it set
     */
    public NativeIoException(String syscall, int errno) {
        this(syscall, errno, null);
    }

    /**
     * @param syscall name of the failed call, e.g. {@code "setsockopt"}
     * @param errno the positive errno value it set
     * @param hint extra context appended to the message after {@code "; "}, or null
     */
    public NativeIoException(String syscall, int errno, String hint) {
        super(format(syscall, errno, hint));
        this.syscall = syscall;
        this.errno = errno;
    }

    /** Name of the system call that failed, e.g. {@code "recvmsg"}. */
    public String syscall() {
        return syscall;
    }

    /** The errno value, e.g. 105 for ENOBUFS on Linux. */
    public int errno() {
        return errno;
    }

    /** Symbolic errno name such as {@code "ENOBUFS"}, or {@code "errno 999"} when unknown. */
    public String errnoName() {
        return errnoName(errno);
    }

    /** Symbolic name of a Linux errno value, or {@code "errno N"} when jnr-constants lacks it. */
    public static String errnoName(int errno) {
        Errno e = lookup(errno);
        return e == null ? "errno " + errno : e.name();
    }

    /** strerror-style description, e.g. {@code "No buffer space available"}. */
    public static String describe(int errno) {
        Errno e = lookup(errno);
        String d = e == null ? null : e.description();
        return d == null || d.isEmpty() ? "unknown error" : d;
    }

    private static Errno lookup(int errno) {
        try {
            Errno e = Errno.valueOf(errno);
            return e == null || e == Errno.__UNKNOWN_CONSTANT__ || !e.defined() ? null : e;
        } catch (RuntimeException | LinkageError ex) {
            return null;
        }
    }

    private static String format(String syscall, int errno, String hint) {
        String base = syscall + ": " + errnoName(errno) + " (" + describe(errno) + ")";
        return hint == null || hint.isEmpty() ? base : base + "; " + hint;
    }
}
