package org.nlsniff.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.nlsniff.event.Event;

/**
 * stderr for messages that may quote what a user or a capture supplied (file names, hex text):
 * control characters, line separators and bidirectional controls are shown escaped, as on
 * stdout, so a message stays one line and cannot drive the terminal. The line ends of
 * {@code println} and the carriage return of the progress bar pass as they are.
 */
final class StderrWriter extends PrintWriter {
    StderrWriter(OutputStream err) {
        super(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    }

    @Override
    public void write(String s, int off, int len) {
        String e = escape(s.substring(off, off + len));
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

    static String escape(String s) {
        if (s.indexOf('\r') < 0) {
            return Event.printable(s);
        }
        StringBuilder sb = new StringBuilder(s.length() + 8);
        int from = 0;
        for (int i = s.indexOf('\r'); i >= 0; i = s.indexOf('\r', from)) {
            sb.append(Event.printable(s.substring(from, i))).append('\r');
            from = i + 1;
        }
        return sb.append(Event.printable(s.substring(from))).toString();
    }
}
