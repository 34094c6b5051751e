package org.nlsniff.frame;

import java.io.IOException;

/**
 * Yields frames one at a time, in order. Not thread-safe: one reader thread.
 *
 * <p>Damage inside a frame is reported on the frame ({@link Frame#problem()}); damage that ends
 * the stream (a capture cut mid-record, a bad block) is thrown as {@link CaptureException} after
 * every complete frame before it has been returned.
 */
public interface FrameSource extends AutoCloseable {

    /** The next frame, or null at the end of the stream. */
    Frame next() throws IOException;

    @Override
    void close() throws IOException;
}
