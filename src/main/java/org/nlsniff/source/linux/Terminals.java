package org.nlsniff.source.linux;

/** Whether a standard stream is a terminal ({@code isatty(3)}), which Java cannot ask for stderr. */
public final class Terminals {
    private Terminals() {}

    /** True when file descriptor {@code fd} (2 = stderr) is a terminal; false if unknown. */
    public static boolean isTerminal(int fd) {
        try {
            return Native.get().libc.isatty(fd) == 1;
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
