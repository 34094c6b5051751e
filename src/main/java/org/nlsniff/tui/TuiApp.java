package org.nlsniff.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The UI thread: about ten times a second it reads keys, drains the reader's queue in one batch,
 * and redraws. The reader thread (a capture replay or the live listener) only ever touches the
 * {@link TuiSink}; a slow UI drops rows from the view, never from other sinks. The terminal is
 * restored on every exit path.
 */
public final class TuiApp {
    private static final int TICK_MILLIS = 100;
    private static final int BATCH = 20_000;

    private TuiApp() {}

    /**
     * Runs until the user quits.
     *
     * @param source the status text for the source (file and frame N of M, or live groups),
     *     asked each tick
     */
    public static void run(Terminal terminal, Ui ui, TuiSink sink, Supplier<String> source)
            throws IOException {
        Screen screen = new TerminalScreen(terminal);
        screen.startScreen();
        try {
            screen.setCursorPosition(null);
            while (!ui.quit()) {
                KeyStroke k;
                while ((k = screen.pollInput()) != null) {
                    if (!ui.key(k)) {
                        return;
                    }
                }
                frame(screen, ui, sink, source);
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            screen.stopScreen();
        }
    }

    /** One tick: drain, resize if needed, draw, refresh. Also used by tests. */
    static void frame(Screen screen, Ui ui, TuiSink sink, Supplier<String> source) throws IOException {
        ui.setSource(source.get());
        ui.tick(sink.drain(BATCH), sink.takeDropped());
        screen.doResizeIfNecessary();
        Painter.draw(screen.newTextGraphics(), screen.getTerminalSize(), ui);
        screen.refresh();
    }
}
