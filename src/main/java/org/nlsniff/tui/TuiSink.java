package org.nlsniff.tui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.nlsniff.event.Event;
import org.nlsniff.sink.EventSink;

/**
 * The hand-over from the reader thread to the UI thread: a bounded queue. The reader never
 * blocks and never touches Lanterna; when the UI falls behind, events are counted and dropped
 * from the view only (other sinks of the same pipeline, such as a capture file, still get them).
 */
public final class TuiSink implements EventSink {
    private final BlockingQueue<Event> queue;
    private final AtomicLong dropped = new AtomicLong();

    public TuiSink(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void accept(Event e) {
        if (!queue.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    /** Takes up to {@code max} waiting events (UI thread). */
    public List<Event> drain(int max) {
        List<Event> out = new ArrayList<>(Math.min(max, queue.size()));
        queue.drainTo(out, max);
        return out;
    }

    /** Events dropped since the last call. */
    public long takeDropped() {
        return dropped.getAndSet(0);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
