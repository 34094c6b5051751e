package org.nlsniff.tui;

import java.util.concurrent.Semaphore;

/**
 * How fast a capture is replayed into the UI: as fast as possible, in real time times a factor
 * (1, 2, 10), or one frame per key press. Set by the UI thread, obeyed by the reader thread.
 */
public final class Pace {
    public enum Mode { FAST, REALTIME, STEP }

    private volatile Mode mode = Mode.FAST;
    private volatile int factor = 1;
    private final Semaphore steps = new Semaphore(0);
    private long firstFrameNanos = Long.MIN_VALUE;
    private long startWall;

    public Mode mode() {
        return mode;
    }

    public int factor() {
        return factor;
    }

    public void fast() {
        mode = Mode.FAST;
        steps.release(Integer.MAX_VALUE / 4);
    }

    /** Real time; pressed again: x2, x10, then x1 again. */
    public void realtime() {
        if (mode == Mode.REALTIME) {
            factor = factor == 1 ? 2 : factor == 2 ? 10 : 1;
        } else {
            factor = 1;
            mode = Mode.REALTIME;
            firstFrameNanos = Long.MIN_VALUE;
        }
        steps.release(Integer.MAX_VALUE / 4);
    }

    public void step() {
        if (mode != Mode.STEP) {
            mode = Mode.STEP;
            steps.drainPermits();
        } else {
            steps.release();
        }
    }

    /** Called by the reader before handing on a frame with this capture time. */
    public void await(long frameNanos) throws InterruptedException {
        switch (mode) {
            case STEP -> {
                steps.acquire();
                steps.drainPermits();
            }
            case REALTIME -> {
                if (firstFrameNanos == Long.MIN_VALUE) {
                    firstFrameNanos = frameNanos;
                    startWall = System.nanoTime();
                }
                long due = startWall + (frameNanos - firstFrameNanos) / factor;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Math.min(wait / 1_000_000L, 5_000L), (int) (Math.min(wait, 999_999) % 1_000_000));
                }
            }
            default -> { }
        }
    }

    public String describe() {
        return switch (mode) {
            case FAST -> "fast";
            case REALTIME -> "real time x" + factor;
            case STEP -> "step (n: next)";
        };
    }
}
