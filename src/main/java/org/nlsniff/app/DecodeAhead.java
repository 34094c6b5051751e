package org.nlsniff.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.FrameSource;

/**
 * Reads and decodes frames of a capture on a second thread while the caller enriches and
 * writes the previous ones: decoding is a pure function of the bytes, everything stateful stays
 * on the caller's thread, in frame order. A bounded queue of small batches keeps memory flat;
 * a read error arrives after every frame before it.
 */
public final class DecodeAhead implements AutoCloseable {
    /** A frame with its messages; or, at the end, {@code frame == null} and maybe an error. */
    public record Item(Frame frame, List<Message> messages, Exception error) {}

    private static final int BATCH = 64;
    private static final int DEPTH = 16;
    private static final List<Item> END = List.of();

    private final BlockingQueue<List<Item>> queue = new ArrayBlockingQueue<>(DEPTH);
    private final Thread thread;
    private List<Item> current = List.of();
    private int next;
    private boolean ended;

    public DecodeAhead(FrameSource src, SpecDecoder decoder) {
        thread = new Thread(() -> produce(src, decoder), "nlsniff-decode");
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(FrameSource src, SpecDecoder decoder) {
        List<Item> batch = new ArrayList<>(BATCH);
        try {
            try {
                Frame f;
                while ((f = src.next()) != null) {
                    batch.add(new Item(f, decoder.decode(f), null));
                    if (batch.size() == BATCH) {
                        queue.put(batch);
                        batch = new ArrayList<>(BATCH);
                    }
                }
            } catch (IOException | RuntimeException e) {
                batch.add(new Item(null, null, e));
            }
            if (!batch.isEmpty()) {
                queue.put(batch);
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // closed by the consumer
        }
    }

    /**
     * The next decoded frame, or null at the end of the capture.
     *
     * @throws IOException the read error that ended the capture, after every frame before it
     */
    public Item next() throws IOException {
        while (next == current.size()) {
            if (ended) {
                return null;
            }
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the capture");
            }
            next = 0;
            if (current == END) {
                ended = true;
                return null;
            }
        }
        Item it = current.get(next++);
        if (it.frame() == null) {
            ended = true;
            current = List.of();
            next = 0;
            if (it.error() instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) it.error();
        }
        return it;
    }

    /** Stops the reader thread (the caller closes the source). */
    @Override
    public void close() {
        thread.interrupt();
    }
}
