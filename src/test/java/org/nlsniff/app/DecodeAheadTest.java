package org.nlsniff.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.FrameSource;

/** The read-ahead never leaves its caller waiting, and huge datagrams are left to the caller. */
class DecodeAheadTest {
    private static Frame frame(int n, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(16, bytes)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 16).putShort(4, (short) 3); // NLMSG_DONE, then zeros
        return Frame.data(0, "t", n, 0, null, ByteOrder.LITTLE_ENDIAN, b.array());
    }

    /** {@code count} small frames, then {@code end} thrown (or the end of the stream). */
    private static FrameSource source(int count, Throwable end, int bytes) {
        return new FrameSource() {
            int n;

            @Override
            public Frame next() throws IOException {
                if (n < count) {
                    return frame(++n, bytes);
                }
                if (end instanceof IOException io) {
                    throw io;
                }
                if (end instanceof Error e) {
                    throw e;
                }
                return null;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void anErrorWhileReadingReachesTheCallerAfterEveryFrame() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (DecodeAhead a = new DecodeAhead(source(200, new OutOfMemoryError("test"), 16), d,
                    2, null)) {
                for (int i = 1; i <= 200; i++) {
                    assertEquals(i, a.next().frame().number());
                }
                assertThrows(OutOfMemoryError.class, a::next);
            }
        });
    }

    @Test
    void framesBeyondTheByteBudgetNeitherHangNorReorder() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            // 300 frames of 60 KiB: far more than the bytes allowed ahead at once.
            try (DecodeAhead a = new DecodeAhead(source(300, null, 60 << 10), d, 2, null)) {
                for (int i = 1; i <= 300; i++) {
                    DecodeAhead.Item it = a.next();
                    assertEquals(i, it.frame().number());
                    assertNotNull(it.messages());
                }
                assertNull(a.next());
            }
        });
    }

    @Test
    void theReaderStaysWithinItsByteBudgetWhileTheCallerIsSlow() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        int bytes = 4 << 10;
        int cost = bytes + DecodeAhead.FRAME_OVERHEAD;
        int ahead = DecodeAhead.BYTES_AHEAD / cost;
        java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
        FrameSource counted = new FrameSource() {
            final FrameSource inner = source(5 * ahead, null, bytes);

            @Override
            public Frame next() throws IOException {
                Frame f = inner.next();
                if (f != null) {
                    read.incrementAndGet();
                }
                return f;
            }

            @Override
            public void close() {}
        };
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (DecodeAhead a = new DecodeAhead(counted, d, 1, null)) {
                int taken = 0;
                for (int step : new int[] {0, 1, ahead / 3, ahead / 2 + 1, ahead, ahead}) {
                    for (int i = 0; i < step; i++) {
                        assertEquals(++taken, a.next().frame().number());
                    }
                    Thread.sleep(200); // the reader reads all it may meanwhile
                    int beyond = read.get() - taken;
                    // Within the budget, plus the one frame the reader holds while it waits.
                    assertTrue(beyond <= ahead + 1, "read " + beyond + " frames ahead of the "
                            + "caller, the budget allows " + ahead);
                    assertTrue(beyond > 0, "the reader reads ahead");
                }
                while (a.next() != null) {
                    taken++;
                }
                assertEquals(5 * ahead, taken);
            }
        });
    }

    @Test
    void aFrameNeedingTheWholeBudgetAfterSmallOnesDoesNotHang() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        int[] sizes = {4 << 10, 4 << 10, 4 << 10, 2 << 20, 4 << 10, 2 << 20, 2 << 20, 16};
        FrameSource mixed = new FrameSource() {
            int n;

            @Override
            public Frame next() {
                return n < sizes.length ? frame(n + 1, sizes[n++]) : null;
            }

            @Override
            public void close() {}
        };
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (DecodeAhead a = new DecodeAhead(mixed, d, 1, null)) {
                for (int i = 1; i <= sizes.length; i++) {
                    assertEquals(i, a.next().frame().number());
                }
                assertNull(a.next());
            }
        });
    }

    /** A datagram of {@code count} messages of {@code size} bytes (NLMSG_DONE, the rest zeros). */
    private static Frame messages(int count, int size, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(count * size).order(order);
        for (int i = 0; i < count; i++) {
            b.putInt(i * size, size).putShort(i * size + 4, (short) 3);
        }
        return Frame.data(0, "t", 1, 0, null, order, b.array());
    }

    @Test
    void aFrameCostsItsBytesAndSomethingPerMessage() {
        int per = DecodeAhead.FRAME_OVERHEAD;
        assertEquals(20 + per, DecodeAhead.cost(messages(1, 20, ByteOrder.LITTLE_ENDIAN)));
        assertEquals(10 * 20 + 10 * per, DecodeAhead.cost(messages(10, 20, ByteOrder.LITTLE_ENDIAN)));
        assertEquals(10 * 20 + 10 * per, DecodeAhead.cost(messages(10, 20, ByteOrder.BIG_ENDIAN)));
        // A thousand 20-byte messages weigh their events, up to the whole budget.
        assertEquals(DecodeAhead.BYTES_AHEAD, DecodeAhead.cost(messages(5120, 20, ByteOrder.LITTLE_ENDIAN)));
        // The walk stops where the decoder does: a length below a header, or past the end.
        Frame broken = messages(10, 20, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(broken.data()).order(ByteOrder.LITTLE_ENDIAN).putInt(3 * 20, 4);
        assertEquals(10 * 20 + 3 * per, DecodeAhead.cost(broken));
        Frame overlong = messages(10, 20, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(overlong.data()).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0xfffffff0);
        assertEquals(10 * 20 + per, DecodeAhead.cost(overlong));
        assertEquals(per, DecodeAhead.cost(frame(1, 0)) - 16, "one header, the rest zeros");
        assertEquals(per, DecodeAhead.cost(Frame.data(0, "t", 1, 0, null, ByteOrder.LITTLE_ENDIAN,
                new byte[0])), "an empty datagram still costs its objects");
    }

    @Test
    void theCallerDecodesLaterBatchesWhileTheWorkerIsBusyAndKeepsTheOrder() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stalled =
                new java.util.concurrent.atomic.AtomicBoolean();
        java.util.Set<String> preparedOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // The worker stalls once, on the first message it prepares, until another thread (the
        // caller: the one assertTimeoutPreemptively runs it on) has prepared one itself, or 10 s
        // pass: then only the worker prepared, and the assertion below fails.
        java.util.function.Consumer<org.nlsniff.decode.Message> prepare = m -> {
            preparedOn.add(Thread.currentThread().getName());
            if (!Thread.currentThread().getName().equals("nlsniff-decode")) {
                release.countDown();
            } else if (stalled.compareAndSet(false, true)) {
                try {
                    release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (DecodeAhead a = new DecodeAhead(source(2000, null, 16), d, 1, prepare)) {
                for (int i = 1; i <= 2000; i++) {
                    assertEquals(i, a.next().frame().number());
                }
                assertNull(a.next());
            }
        });
        assertEquals(2, preparedOn.size(), "prepared on " + preparedOn);
        assertTrue(preparedOn.contains("nlsniff-decode"), "prepared on " + preparedOn);
        assertEquals(0, release.getCount(), "the caller prepared while the worker stalled");
    }

    @Test
    void closingWhileTheReaderWaitsEndsItQuietly() throws Exception {
        // As -c N or a closed stdout does: close() while the reader blocks in the file; the
        // read then fails (a FileChannel throws ClosedByInterruptException) and must not reach
        // the stopped workers as an uncaught exception and a stack trace.
        SpecDecoder d = Decoding.build(List.of());
        FrameSource blocking = new FrameSource() {
            int n;

            @Override
            public Frame next() throws IOException {
                if (n < 128) { // two whole batches: handed over before the reader blocks
                    return frame(++n, 16);
                }
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    // What a channel does when interrupted, a little after the close.
                    long until = System.nanoTime() + 200_000_000L;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    throw new java.nio.channels.ClosedByInterruptException();
                }
                return null;
            }

            @Override
            public void close() {}
        };
        java.util.List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        DecodeAhead a = new DecodeAhead(blocking, d, 1, null);
        a.readerThread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        for (int i = 1; i <= 128; i++) {
            assertEquals(i, a.next().frame().number());
        }
        Thread.sleep(100); // the reader is in next() now
        a.close();
        a.readerThread().join(5_000);
        assertEquals(false, a.readerThread().isAlive());
        assertEquals(List.of(), uncaught);
    }

    @Test
    void aHugeDatagramIsLeftToTheCallerToDecodeMessageByMessage() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        try (DecodeAhead a = new DecodeAhead(source(2, null, DecodeAhead.DECODE_AHEAD_MAX + 4), d,
                1, null)) {
            assertNull(a.next().messages());
            assertNull(a.next().messages());
            assertNull(a.next());
        }
    }
}
