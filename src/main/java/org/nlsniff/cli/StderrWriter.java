package org.nlsniff.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.nlsniff.event.Event;

/**
 * stderr for messages that may quote what a user or a capture supplied (file names, hex text):
 * control characters (the carriage return too, which would let a file name overwrite the
 * start of its message), line separators and bidirectional controls are shown escaped, as on
 * stdout, so a message stays one line and cannot drive the terminal. The line ends of
 * {@code println} pass as they are; the progress bar's carriage returns through {@link #raw}.
 */
final class StderrWriter extends PrintWriter {
    StderrWriter(OutputStream err) {
        super(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    }

    @Override
    public void write(String s, int off, int len) {
        String e = Event.printable(s.substring(off, off + len));
        super.write(e, 0, e.length());
    }

    @Override
    public void write(char[] buf, int off, int len) {
        write(new String(buf, off, len), 0, len);
    }

    @Override
    public void write(int c) {
        write(String.valueOf((char) c), 0, 1);
    }

    /**
     * Writes {@code text} unescaped: for what nlsniff itself draws (the progress bar's carriage
     * returns), never for text that quotes input.
     */
    static void raw(PrintWriter err, String text) {
        if (err instanceof StderrWriter w) {
            w.writeRaw(text);
        } else {
            err.write(text);
        }
    }

    private void writeRaw(String text) {
        super.write(text, 0, text.length());
    }
}
