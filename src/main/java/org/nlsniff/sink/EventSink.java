package org.nlsniff.sink;

import java.io.IOException;
import org.nlsniff.event.Event;

/** Where events go. Called from one thread; {@link #flush} after each burst (live mode). */
public interface EventSink extends AutoCloseable {
    void accept(Event e) throws IOException;

    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
