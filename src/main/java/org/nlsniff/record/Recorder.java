package org.nlsniff.record;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.nlsniff.frame.Frame;

/**
 * Writes frames on a thread of its own, so the socket reader never waits for the disk: the
 * reader only enqueues. Nothing is dropped (the queue is unbounded: a capture must be complete;
 * frames are small and the disk outpaces the kernel). {@link #close()} writes what is queued,
 * flushes and closes, so a capture ended by SIGINT/SIGTERM is complete and valid.
 */
public final class Recorder implements AutoCloseable {
    private static final Frame END = Frame.data(0, "", 0, 0, null, java.nio.ByteOrder.nativeOrder(), new byte[0]);
    private final CaptureWriter writer;
    private final LinkedBlockingQueue<Frame> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile IOException failure;

    public Recorder(CaptureWriter writer) {
        this.writer = writer;
        this.thread = new Thread(this::loop, "nlsniff-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a frame to the writer thread; never blocks. */
    public void write(Frame f) {
        queue.add(f);
    }

    private void loop() {
        try {
            while (true) {
                Frame f = queue.poll(200, TimeUnit.MILLISECONDS);
                if (f == null) {
                    writer.flush(); // idle: make everything so far durable
                    continue;
                }
                if (f == END) {
                    break;
                }
                writer.write(f);
                if (queue.isEmpty()) {
                    writer.flush();
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes everything queued, flushes and closes the file. */
    @Override
    public void close() throws IOException {
        queue.add(END);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        if (failure != null) {
            throw new IOException("writing the capture: " + failure.getMessage(), failure);
        }
    }

    public long records() {
        return writer.records();
    }
}
