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
 * the caller enriches and writes the previous ones (and, rather than wait for a batch, decodes
 * a later one itself). Decoding (and {@code prepare}, such as rendering the JSON of what
 * decoding alone decides) is a pure function of the bytes, so batches may be decoded in any
 * order; the caller takes them in frame order, and everything stateful stays on the caller's
 * thread. Bounded queues of small batches keep memory flat; a read error arrives after every
 * frame before it.
 */
public final class DecodeAhead implements AutoCloseable {
    /**
     * A frame with its messages (null: too large to decode ahead, decode it yourself); or, at the
     * end, {@code frame == null} and maybe an error. {@code cost} is what the frame counted
     * against the budget ({@link #cost(Frame)}, worked out once, by the reader).
     */
    public record Item(Frame frame, List<Message> messages, Throwable error, int cost) {}

    private static final int BATCH = 64;
    /**
     * Datagram bytes read ahead but not yet taken: decoded, a datagram of tiny messages grows
     * some 80-fold, so this bounds memory however the capture is made. Measured: 1 MiB kept
     * 125 MB live for a crafted capture of 16,000 4-byte attributes per message, 256 KiB some
     * 35 MB, and 2 million real messages ran as fast with either.
     */
    static final int BYTES_AHEAD = 256 << 10;
    /** Bytes a frame is counted above its size: what its objects cost besides the bytes. */
    static final int FRAME_OVERHEAD = 256;
    /**
     * Batches handed over and not yet taken: as many as the byte budget allows (each frame costs
     * at least {@link #FRAME_OVERHEAD}), so the budget is what stops the reader, and it is woken
     * once per half budget. Measured with 8: the reader waited on a full queue and was woken
     * for every batch taken: 119,000 futex calls on 2 million messages, against 31,000-40,000
     * (a 1 MiB budget) and 73,000 (256 KiB; the two budgets timed the same).
     */
    private static final int DEPTH = BYTES_AHEAD / (BATCH * FRAME_OVERHEAD);
    /** Larger datagrams (no kernel sends one) are decoded by the caller, message by message. */
    static final int DECODE_AHEAD_MAX = 128 << 10;

    private final java.util.concurrent.Semaphore budget =
            new java.util.concurrent.Semaphore(BYTES_AHEAD);

    private final BlockingQueue<Future<List<Item>>> queue = new ArrayBlockingQueue<>(DEPTH);
    private final ExecutorService workers;
    private final Thread reader;
    private List<Item> current = List.of();
    /**
     * Budget of the frames taken and not yet given back. It goes back in large parts (half the
     * budget), and all of it before the caller waits for a batch: a reader out of budget is then
     * woken some ten thousand times in a capture of 750 MB instead of once per batch or frame (on
     * these VMs a wake-up costs the waker microseconds: measured, giving back per frame cost the
     * caller 7% of its time in Semaphore.release, per batch still 9%).
     */
    private int taken;
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
     * Decoding threads: one per core but the caller's, at most {@code max}
     * ({@code -Dnlsniff.workers=N} overrides). Measured on two cores with a million messages:
     * one worker 7.4 s, two workers 9.6 s (they and the caller then fight for the cores).
     */
    public static int defaultWorkers(int max) {
        Integer forced = Integer.getInteger("nlsniff.workers");
        if (forced != null && forced > 0) {
            return forced;
        }
        return Math.max(1, Math.min(max, Runtime.getRuntime().availableProcessors() - 1));
    }

    /**
     * What a frame counts against the budget: its bytes, and {@link #FRAME_OVERHEAD} for each
     * netlink message in it (found by walking the message lengths, as the decoder will): decoded,
     * a message costs its objects whatever its size, so a datagram of a thousand 20-byte
     * messages weighs what its thousand events will (measured: 100 KiB datagrams of 20-byte
     * messages counted by bytes alone kept 50,000 messages decoded ahead, and the process grew to
     * 450 MB). Worked out once, by the reader; the caller gives back what it took.
     */
    static int cost(Frame f) {
        byte[] d = f.data();
        boolean big = f.order() == java.nio.ByteOrder.BIG_ENDIAN;
        long perMessage = 0;
        for (int pos = 0; pos + 16 <= d.length && perMessage < BYTES_AHEAD; ) {
            long len = org.nlsniff.decode.Bytes.integer(d, pos, 4, false, big);
            if (len < 16) {
                break; // the decoder stops here too, with a problem
            }
            perMessage += FRAME_OVERHEAD;
            pos += (int) Math.min(d.length, (len + 3) & ~3L);
        }
        return (int) Math.min(BYTES_AHEAD, d.length + Math.max(FRAME_OVERHEAD, perMessage));
    }

    private void read(FrameSource src, SpecDecoder decoder, Consumer<Message> prepare) {
        List<Frame> batch = new ArrayList<>(BATCH);
        int[] costs = new int[BATCH];
        try {
            Throwable error = null;
            try {
                Frame f;
                while ((f = src.next()) != null) {
                    int cost = cost(f);
                    if (!budget.tryAcquire(cost)) {
                        // Hand over what waits here first: the caller frees the budget only by
                        // taking frames, and these may be the ones it needs.
                        if (!batch.isEmpty()) {
                            submit(batch, costs, null, decoder, prepare);
                            batch = new ArrayList<>(BATCH);
                            costs = new int[BATCH];
                        }
                        budget.acquire(cost);
                    }
                    costs[batch.size()] = cost;
                    batch.add(f);
                    if (batch.size() == BATCH) {
                        submit(batch, costs, null, decoder, prepare);
                        batch = new ArrayList<>(BATCH);
                        costs = new int[BATCH];
                    }
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Throwable e) {
                // Also an Error (out of memory): the caller must hear of it, never wait forever.
                error = e;
            }
            submit(batch, costs, error, decoder, prepare);
            queue.put(java.util.concurrent.CompletableFuture.completedFuture(null));
        } catch (InterruptedException | java.util.concurrent.RejectedExecutionException e) {
            // closed by the consumer (-c N reached, output gone): the workers are stopped too
        }
    }

    private void submit(List<Frame> frames, int[] costs, Throwable error, SpecDecoder decoder,
            Consumer<Message> prepare) throws InterruptedException {
        if (frames.isEmpty() && error == null) {
            return;
        }
        queue.put(workers.submit(() -> {
            List<Item> items = new ArrayList<>(frames.size() + 1);
            for (int i = 0; i < frames.size(); i++) {
                Frame f = frames.get(i);
                if (f.data().length > DECODE_AHEAD_MAX) {
                    // the caller decodes it, one by one
                    items.add(new Item(f, null, null, costs[i]));
                    continue;
                }
                List<Message> ms = decoder.decode(f);
                if (prepare != null) {
                    for (Message m : ms) {
                        prepare.accept(m);
                    }
                }
                items.add(new Item(f, ms, null, costs[i]));
            }
            if (error != null) {
                items.add(new Item(null, null, error, 0));
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
                giveBack();
                return null;
            }
            List<Item> batch;
            try {
                Future<List<Item>> f = queue.poll();
                if (f == null) {
                    // The reader may be waiting for budget the caller holds: give it all back.
                    giveBack();
                    f = queue.take();
                }
                if (!f.isDone()) {
                    help(f);
                }
                batch = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the capture");
            } catch (ExecutionException e) {
                // A decoder broke its contract (decoders report problems, they do not throw),
                // or the machine ran out of memory.
                ended = true;
                rethrow(e.getCause());
                return null; // not reached
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
            rethrow(it.error());
        }
        taken += it.cost();
        if (taken >= BYTES_AHEAD / 2) {
            giveBack();
        }
        return it;
    }

    /**
     * While the batch the caller needs next is still being decoded, the caller decodes later
     * batches no worker has started (running a task a worker has started, or finished, does
     * nothing) instead of waiting idle; with none queued yet it waits a millisecond at a time
     * and looks again. Measured on 2 million messages: JSON 4.81 -> 4.60 s and text 3.45 ->
     * 3.28 s of wall time, best of 6 in turns.
     */
    private void help(Future<List<Item>> head) throws InterruptedException, ExecutionException {
        while (!head.isDone()) {
            boolean ran = false;
            for (Future<List<Item>> later : queue) {
                if (head.isDone()) {
                    return;
                }
                if (!later.isDone()
                        && later instanceof java.util.concurrent.RunnableFuture<?> task) {
                    task.run();
                    ran = true;
                }
            }
            if (!ran) {
                try {
                    head.get(1, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // look for queued batches again
                }
            }
        }
    }

    private void giveBack() {
        if (taken > 0) {
            budget.release(taken);
            taken = 0;
        }
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /** The reading thread (for tests: it must end quietly after {@link #close}). */
    Thread readerThread() {
        return reader;
    }

    /** Stops the reader and the workers (the caller closes the source). */
    @Override
    public void close() {
        reader.interrupt();
        workers.shutdownNow();
    }
}
