package org.nlsniff.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.nlsniff.decode.Message;
import org.nlsniff.event.Event;
import org.nlsniff.sink.JsonLinesSink;
import org.nlsniff.spec.Spec;

/**
 * The UI's state and key handling (UI thread only): the view model, the detail pane, the filter
 * being typed, help, transient messages, the replay pace. Separate from Lanterna's screen so key
 * handling is tested without a terminal.
 */
public final class Ui {
    private final ViewModel model;
    private final Spec spec;
    private final Pace pace;
    private final Path writeDir;
    private String source;
    private Detail detail;
    private Message detailMessage;
    private int detailLine;
    private boolean editing;
    private final StringBuilder filterText = new StringBuilder();
    private boolean help;
    private String message;
    private boolean quit;
    private double rate;
    private long lastTotal;
    private long lastRateNanos = System.nanoTime();

    public Ui(ViewModel model, Spec spec, Pace pace, String source, Path writeDir) {
        this.model = model;
        this.spec = spec;
        this.pace = pace;
        this.source = source;
        this.writeDir = writeDir;
    }

    /** Moves a batch of events from the reader into the view and updates the rate. */
    public void tick(List<Event> batch, long droppedBeforeView) {
        List<Row> rows = new ArrayList<>(batch.size());
        for (Event e : batch) {
            rows.add(Row.of(e));
        }
        model.add(rows);
        model.droppedBeforeView(droppedBeforeView);
        long now = System.nanoTime();
        if (now - lastRateNanos >= 1_000_000_000L) {
            rate = (model.total() - lastTotal) * 1e9 / (now - lastRateNanos);
            lastTotal = model.total();
            lastRateNanos = now;
        }
    }

    /** Handles one key; returns false when the user quit. */
    public boolean key(KeyStroke k) {
        message = null;
        if (help) {
            help = false;
            return true;
        }
        if (editing) {
            editKey(k);
            return true;
        }
        KeyType t = k.getKeyType();
        Character c = t == KeyType.Character ? k.getCharacter() : null;
        if (t == KeyType.EOF || c != null && (c == 'q' || (c == 'c' && k.isCtrlDown()))) {
            quit = true;
            return false;
        }
        if (detail != null) {
            switch (t) {
                case ArrowUp -> detailLine = Math.max(0, detailLine - 1);
                case ArrowDown -> detailLine = Math.min(detail.lines().size() - 1, detailLine + 1);
                case PageUp -> detailLine = Math.max(0, detailLine - 10);
                case PageDown -> detailLine = Math.min(detail.lines().size() - 1, detailLine + 10);
                case Escape, Backspace -> detail = null;
                default -> { }
            }
            return true;
        }
        switch (t) {
            case ArrowUp -> model.move(-1);
            case ArrowDown -> model.move(1);
            case PageUp -> model.move(-20);
            case PageDown -> model.move(20);
            case Home -> model.home();
            case End -> model.end();
            case Enter -> openDetail();
            case Escape -> {
                filterText.setLength(0);
                model.setFilter(Filter.ALL);
            }
            case Character -> character(c);
            default -> { }
        }
        return true;
    }

    private void character(char c) {
        switch (c) {
            case '/' -> {
                editing = true;
                filterText.setLength(0);
                filterText.append(model.filter().text());
            }
            case ' ' -> model.togglePause();
            case '?' -> help = true;
            case 'w' -> write();
            case 'f' -> pace.fast();
            case 'r' -> pace.realtime();
            case 'n' -> pace.step();
            case 'j' -> model.move(1);
            case 'k' -> model.move(-1);
            case 'G' -> model.end();
            default -> { }
        }
    }

    private void editKey(KeyStroke k) {
        switch (k.getKeyType()) {
            case Enter -> editing = false;
            case Escape -> {
                editing = false;
                filterText.setLength(0);
                model.setFilter(Filter.ALL);
            }
            case Backspace -> {
                if (filterText.length() > 0) {
                    filterText.setLength(filterText.length() - 1);
                    model.setFilter(Filter.parse(filterText.toString()));
                }
            }
            case Character -> {
                filterText.append(k.getCharacter());
                model.setFilter(Filter.parse(filterText.toString()));
            }
            default -> { }
        }
    }

    private void openDetail() {
        Row r = model.selectedRow();
        if (r != null) {
            detail = new Detail(r);
            Message m = r.event().message();
            // A derived event has no bytes of its own: show its first half's (the deletion).
            detailMessage = m.joined != null && !m.joined.isEmpty() ? m.joined.get(0) : m;
            detailLine = 0;
        }
    }

    /** Writes the rows in view (after the filter) as JSON lines into the write directory. */
    private void write() {
        String name = "nlsniff-view-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".jsonl";
        Path file = writeDir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            JsonLinesSink sink = new JsonLinesSink(out, spec);
            for (Row r : model.visible()) {
                sink.accept(r.event());
            }
            sink.flush();
            message = "wrote " + model.visible().size() + " events to " + file;
        } catch (IOException e) {
            message = "cannot write " + file + ": " + e.getMessage();
        }
    }

    public ViewModel model() {
        return model;
    }

    public Detail detail() {
        return detail;
    }

    public Message detailMessage() {
        return detailMessage;
    }

    public int detailLine() {
        return detailLine;
    }

    public boolean editing() {
        return editing;
    }

    public String filterText() {
        return filterText.toString();
    }

    public boolean helpShown() {
        return help;
    }

    public String message() {
        return message;
    }

    public boolean quit() {
        return quit;
    }

    public double rate() {
        return rate;
    }

    public String source() {
        return source;
    }

    public void setSource(String s) {
        source = s;
    }

    String paceHint() {
        return pace == null ? "" : "  [" + pace.describe() + "]";
    }
}
