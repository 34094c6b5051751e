package org.nlsniff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What reaches stderr: one line per message, whatever the names it quotes hold. */
class StderrWriterTest {
    @Test
    void aCarriageReturnInAFileNameIsEscapedNotLetThrough() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StderrWriter err = new StderrWriter(bytes);
        // The attack's $'evil\rOK.pcap': the \r let "OK.pcap..." overwrite the message's start.
        int code = Main.run(new String[] {"-r", "/nonexistent/evil\rOK.pcap"},
                new ByteArrayOutputStream(), err);
        err.flush();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, s);
        assertFalse(s.contains("\r"), s);
        assertTrue(s.contains("evil\\x0dOK.pcap"), s);
        assertTrue(s.endsWith(System.lineSeparator()) && s.strip().lines().count() == 1, s);
    }

    @Test
    void everyControlIsEscapedAndOnlyRawWritesPassACarriageReturn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StderrWriter err = new StderrWriter(bytes);
        err.print("a\rb\nc\u001bd\u202ee\u061cf");
        err.write('\r');
        err.write("x\ry".toCharArray(), 0, 3);
        StderrWriter.raw(err, "\r[##  ]\r");
        err.flush();
        assertEquals("a\\x0db\\x0ac\\x1bd\\u202ee\\u061cf\\x0dx\\x0dy\r[##  ]\r",
                bytes.toString(StandardCharsets.UTF_8));
    }
}
