package org.nlsniff.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.FrameSource;

/**
 * Reads the frames of a capture on a thread of its own and decodes them on worker threads while
 * the caller enriches and writes the previous ones. Decoding (and {@code prepare}, such as
 * rendering the JSON of what decoding alone decides) is a pure function of the bytes, so batches
 * may be decoded in any order; the caller takes them in frame order, and everything stateful
 * stays on the caller's thread. Bounded queues of small batches keep memory flat; a read error
 * arrives after every frame before it.
 */
public final class DecodeAhead implements AutoCloseable {
    /** A frame with its messages; or, at the end, {@code frame == null} and maybe an error. */
    public record Item(Frame frame, List<Message> messages, Exception error) {}

    private static final int BATCH = 64;
    private static final int DEPTH = 8;

    private final BlockingQueue<Future<List<Item>>> queue = new ArrayBlockingQueue<>(DEPTH);
    private final ExecutorService workers;
    private final Thread reader;
    private List<Item> current = List.of();
    private int next;
    private boolean ended;

    /**
     * @param workers decoding threads (at least 1)
     * @param prepare run on a worker for every decoded message, or null
     */
    public DecodeAhead(FrameSource src, SpecDecoder decoder, int workers,
            Consumer<Message> prepare) {
        this.workers = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
            Thread t = new Thread(r, "nlsniff-decode");
            t.setDaemon(true);
            return t;
        });
        reader = new Thread(() -> read(src, decoder, prepare), "nlsniff-read");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Decoding threads: as many as cores, at most {@code max} ({@code -Dnlsniff.workers=N}
     * overrides). The caller's thread does less per message than a worker, so on two cores two
     * workers and the caller share them better than one worker would.
     */
    public static int defaultWorkers(int max) {
        Integer forced = Integer.getInteger("nlsniff.workers");
        if (forced != null && forced > 0) {
            return forced;
        }
        return Math.max(1, Math.min(max, Runtime.getRuntime().availableProcessors()));
    }

    private void read(FrameSource src, SpecDecoder decoder, Consumer<Message> prepare) {
        List<Frame> batch = new ArrayList<>(BATCH);
        try {
            Exception error = null;
            try {
                Frame f;
                while ((f = src.next()) != null) {
                    batch.add(f);
                    if (batch.size() == BATCH) {
                        submit(batch, null, decoder, prepare);
                        batch = new ArrayList<>(BATCH);
                    }
                }
            } catch (IOException | RuntimeException e) {
                error = e;
            }
            submit(batch, error, decoder, prepare);
            queue.put(java.util.concurrent.CompletableFuture.completedFuture(null));
        } catch (InterruptedException e) {
            // closed by the consumer
        }
    }

    private void submit(List<Frame> frames, Exception error, SpecDecoder decoder,
            Consumer<Message> prepare) throws InterruptedException {
        if (frames.isEmpty() && error == null) {
            return;
        }
        queue.put(workers.submit(() -> {
            List<Item> items = new ArrayList<>(frames.size() + 1);
            for (Frame f : frames) {
                List<Message> ms = decoder.decode(f);
                if (prepare != null) {
                    for (Message m : ms) {
                        prepare.accept(m);
                    }
                }
                items.add(new Item(f, ms, null));
            }
            if (error != null) {
                items.add(new Item(null, null, error));
            }
            return items;
        }));
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
            List<Item> batch;
            try {
                batch = queue.take().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the capture");
            } catch (ExecutionException e) {
                // A decoder broke its contract (decoders report problems, they do not throw).
                ended = true;
                Throwable c = e.getCause();
                throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
            }
            next = 0;
            if (batch == null) {
                ended = true;
                current = List.of();
                return null;
            }
            current = batch;
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

    /** Stops the reader and the workers (the caller closes the source). */
    @Override
    public void close() {
        reader.interrupt();
        workers.shutdownNow();
    }
}
