package org.nlsniff.cli;

import java.io.PrintWriter;
import org.nlsniff.source.CaptureFileSource;

/**
 * A one-line progress bar on stderr while a file is read (frames, MB/s, ETA), redrawn at most
 * five times a second and erased at the end. Only used when stderr is a terminal.
 */
final class Progress {
    private static final long EVERY_NANOS = 200_000_000L;
    private final PrintWriter err;
    private final CaptureFileSource src;
    private final long size;
    private final long start = System.nanoTime();
    private long last = start;
    private boolean drawn;

    Progress(PrintWriter err, CaptureFileSource src) {
        this.err = err;
        this.src = src;
        this.size = src.size();
    }

    void frame(long frames) {
        long now = System.nanoTime();
        if (now - last < EVERY_NANOS) {
            return;
        }
        last = now;
        long pos = src.position();
        double secs = (now - start) / 1e9;
        double mbps = pos / 1e6 / Math.max(secs, 1e-9);
        // A file still being written grows past the size seen at the start: never past 100%.
        double frac = size > 0 ? Math.min(1.0, (double) pos / size) : 0;
        long eta = frac > 0 ? Math.round(secs / frac - secs) : 0;
        int width = 24;
        int filled = (int) Math.round(frac * width);
        StderrWriter.raw(err, String.format("\r[%s%s] %3.0f%%  %,d frames  %.1f MB/s  ETA %ds ",
                "#".repeat(filled), " ".repeat(width - filled), frac * 100, frames, mbps, eta));
        err.flush();
        drawn = true;
    }

    /** Erases the bar (before a message, and at the end); it is drawn again by the next frame. */
    void done() {
        if (drawn) {
            StderrWriter.raw(err, "\r" + " ".repeat(79) + "\r");
            err.flush();
            drawn = false;
        }
    }
}
