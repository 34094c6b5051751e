package org.nlsniff.cli;

import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.nlsniff.app.LiveCapture;
import org.nlsniff.app.Pipeline;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.NamespaceNames;
import org.nlsniff.frame.Frame;
import org.nlsniff.source.CaptureFileSource;
import org.nlsniff.tui.Pace;
import org.nlsniff.tui.TuiApp;
import org.nlsniff.tui.TuiSink;
import org.nlsniff.tui.Ui;
import org.nlsniff.tui.ViewModel;

/** {@code --tui}: wires a replay or the live listener (reader thread) to the terminal UI. */
final class TuiRunner {
    private static final int VIEW_ROWS = 50_000;
    private static final int QUEUE = 50_000;

    private TuiRunner() {}

    static int replay(Path file, SpecDecoder decoder, PrintWriter err) {
        long total;
        try (CaptureFileSource count = CaptureFileSource.open(file)) {
            long n = 0;
            try {
                while (count.next() != null) {
                    n++;
                }
            } catch (IOException e) {
                // damaged tail: the replay below reports it in the status line
            }
            total = n;
        } catch (IOException e) {
            err.println("nlsniff: " + e.getMessage());
            return 2;
        }
        TuiSink sink = new TuiSink(QUEUE);
        Pace pace = new Pace();
        AtomicLong frame = new AtomicLong();
        AtomicReference<String> state = new AtomicReference<>("");
        AtomicReference<String> failure = new AtomicReference<>();
        Pipeline pipeline;
        CaptureFileSource src;
        try {
            src = CaptureFileSource.open(file);
        } catch (IOException e) {
            err.println("nlsniff: " + e.getMessage());
            return 2;
        }
        pipeline = new Pipeline(decoder, List.of(sink), NamespaceNames.NONE, src.carriesNamespaces());
        Thread reader = new Thread(() -> {
            try (src) {
                Frame f;
                while ((f = src.next()) != null) {
                    pace.await(f.tsNanos());
                    pipeline.accept(f);
                    frame.incrementAndGet();
                }
                pipeline.finish();
                state.set(src.foreignPackets() == 0 ? " (end)" : " (end; " + src.foreignPackets()
                        + " packets of non-netlink interfaces skipped)");
            } catch (IOException e) {
                state.set(" (" + e.getMessage() + ")");
                failure.set(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nlsniff-reader");
        reader.setDaemon(true);
        String name = file.getFileName().toString();
        int rc = show(decoder, pace, sink, reader, () -> name + " " + frame.get() + "/" + total
                + " frames" + state.get(), err);
        // Damage shown in the status bar is also told once the terminal is back, as without --tui.
        return rc == 0 ? reported(failure, err, 2) : rc;
    }

    private static int reported(AtomicReference<String> failure, PrintWriter err, int code) {
        String f = failure.get();
        if (f == null) {
            return 0;
        }
        err.println("nlsniff: " + f);
        return code;
    }

    static int live(LiveCapture.Options options, SpecDecoder decoder, PrintWriter err) {
        TuiSink sink = new TuiSink(QUEUE);
        StringWriter log = new StringWriter();
        PrintWriter quiet = new PrintWriter(log, true); // stderr would tear the screen
        AtomicReference<String> state = new AtomicReference<>("starting");
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                state.set("live " + options.groupNames() + (options.allNsid() ? " all-nsid" : "")
                        + (options.netns() != null ? " in " + options.netnsName() : ""));
                new LiveCapture(options, decoder, quiet).run((names, join) ->
                        new Pipeline(decoder, List.of(sink), names, join));
            } catch (IOException e) {
                state.set("live: " + e.getMessage());
                failure.set(e.getMessage());
            }
        }, "nlsniff-reader");
        reader.setDaemon(true);
        int rc = show(decoder, null, sink, reader, state::get, err);
        return rc == 0 ? reported(failure, err, 1) : rc;
    }

    private static int show(SpecDecoder decoder, Pace pace, TuiSink sink, Thread reader,
            java.util.function.Supplier<String> source, PrintWriter err) {
        Ui ui = new Ui(new ViewModel(VIEW_ROWS), decoder.spec(), pace, source.get(), Path.of("."));
        try {
            Terminal terminal = new DefaultTerminalFactory(System.out, System.in, StandardCharsets.UTF_8)
                    .createTerminal();
            reader.start();
            TuiApp.run(terminal, ui, sink, source);
            return 0;
        } catch (IOException e) {
            err.println("nlsniff: terminal: " + e.getMessage());
            return 1;
        }
    }
}
