package org.nlsniff.source.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream is a terminal ({@code isatty(3)}), which Java cannot ask for stderr. */
public final class Terminals {
    private Terminals() {}

    /**
     * True when file descriptor {@code fd} (2 = stderr) is a terminal; false if unknown. Read from
     * {@code /proc/self/fd} first: binding libc takes some 100 ms of a short replay's start.
     */
    public static boolean isTerminal(int fd) {
        Boolean proc = fromProc(Path.of("/proc/self/fd", Integer.toString(fd)));
        if (proc != null) {
            return proc;
        }
        try {
            return Native.get().libc.isatty(fd) == 1;
        } catch (IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** What the descriptor's link names: a terminal device, something else, or null (no /proc). */
    static Boolean fromProc(Path link) {
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
        return isTerminalDevice(target);
    }

    /** {@code /dev/pts/N}, {@code /dev/ttyN}, {@code /dev/ttySN}, {@code /dev/console}, ... */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
                || target.equals("/dev/console");
    }
}
