package org.nlsniff.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalsTest {
    @TempDir Path tmp;

    @Test
    void terminalDevicesByName() {
        assertTrue(Terminals.isTerminalDevice("/dev/pts/3"));
        assertTrue(Terminals.isTerminalDevice("/dev/tty1"));
        assertTrue(Terminals.isTerminalDevice("/dev/ttyS0"));
        assertTrue(Terminals.isTerminalDevice("/dev/console"));
        assertFalse(Terminals.isTerminalDevice("/dev/null"));
        assertFalse(Terminals.isTerminalDevice("pipe:[12345]"));
        assertFalse(Terminals.isTerminalDevice("/tmp/out.txt"));
    }

    @Test
    void readsWhatTheDescriptorLinkNames() throws Exception {
        Path pts = Files.createSymbolicLink(tmp.resolve("a"), Path.of("/dev/pts/0"));
        Path file = Files.createSymbolicLink(tmp.resolve("b"), tmp.resolve("log.txt"));
        assertEquals(Boolean.TRUE, Terminals.fromProc(pts));
        assertEquals(Boolean.FALSE, Terminals.fromProc(file));
        assertNull(Terminals.fromProc(tmp.resolve("missing")), "no link: unknown, ask libc");
    }

    @Test
    void stdoutRedirectedToAFileIsNoTerminalInAChildProcess() throws Exception {
        // The same answer the JVM's own console check gives for a redirected stream.
        Path out = tmp.resolve("out");
        Process p = new ProcessBuilder("sh", "-c", "readlink /proc/self/fd/1")
                .redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor() == 0);
        assertFalse(Terminals.isTerminalDevice(Files.readString(out).strip()));
    }
}
