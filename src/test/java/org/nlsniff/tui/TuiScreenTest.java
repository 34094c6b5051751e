package org.nlsniff.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nlsniff.app.Decoding;
import org.nlsniff.app.Pipeline;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.NamespaceNames;
import org.nlsniff.frame.Frame;
import org.nlsniff.source.CaptureFileSource;
import org.nlsniff.testing.Repo;

/**
 * The terminal UI rendered into Lanterna's virtual terminal at 80x24 with the seed capture:
 * rows, colours, filter, pause, detail with highlighted bytes, status counters, write, quit,
 * resize.
 */
class TuiScreenTest {
    @TempDir Path tmp;
    private DefaultVirtualTerminal term;
    private TerminalScreen screen;
    private TuiSink sink;
    private Ui ui;
    private SpecDecoder decoder;

    @BeforeEach
    void replaySeed() throws Exception {
        decoder = Decoding.build(List.of());
        term = new DefaultVirtualTerminal(new TerminalSize(80, 24));
        screen = new TerminalScreen(term);
        screen.startScreen();
        sink = new TuiSink(10_000);
        ui = new Ui(new ViewModel(10_000), decoder.spec(), new Pace(), "seed.pcapng", tmp);
        try (CaptureFileSource src = CaptureFileSource.open(Repo.samples().resolve("seed/seed.pcapng"))) {
            Pipeline p = new Pipeline(decoder, List.of(sink), NamespaceNames.NONE, true);
            Frame f;
            while ((f = src.next()) != null) {
                p.accept(f);
            }
            p.finish();
        }
        tick();
    }

    @AfterEach
    void stop() throws Exception {
        screen.stopScreen();
    }

    private void tick() throws Exception {
        TuiApp.frame(screen, ui, sink, () -> "seed.pcapng 89/89 frames");
    }

    private void keys(Object... ks) throws Exception {
        for (Object k : ks) {
            if (k instanceof Character c) {
                ui.key(new KeyStroke(c, false, false));
            } else if (k instanceof String s) {
                for (char c : s.toCharArray()) {
                    ui.key(new KeyStroke(c, false, false));
                }
            } else {
                ui.key(new KeyStroke((KeyType) k));
            }
        }
        tick();
    }

    private String line(int row) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < term.getTerminalSize().getColumns(); c++) {
            sb.append(term.getCharacter(c, row).getCharacterString());
        }
        return sb.toString().stripTrailing();
    }

    private String screenText() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < term.getTerminalSize().getRows(); r++) {
            sb.append(line(r)).append('\n');
        }
        return sb.toString();
    }

    private int rowContaining(String s) {
        for (int r = 0; r < term.getTerminalSize().getRows(); r++) {
            if (line(r).contains(s)) {
                return r;
            }
        }
        return -1;
    }

    @Test
    void tableFollowsTheTailWithStatusAndCounters() {
        String s = screenText();
        assertTrue(line(0).startsWith("nlsniff FOLLOW  seed.pcapng 89/89 frames  90 events"), line(0));
        assertTrue(line(0).endsWith("overruns 0 dropped 0"), "fits 80 columns: " + line(0));
        assertTrue(line(1).startsWith("TIME"), line(1));
        assertTrue(line(21).contains("nsid.del") && line(21).contains("Deleted nsid 0"), s);
        assertTrue(line(22).contains("link 15") && line(22).contains("route 36")
                && line(22).contains("own 46"), line(22));
        assertTrue(line(23).contains("/ filter") && line(23).contains("q quit"), line(23));
        // the last row is selected: reverse video
        assertTrue(term.getCharacter(0, 21).getModifiers().contains(SGR.REVERSE));
    }

    @Test
    void rowsAreColouredByAction() throws Exception {
        keys("/event:link.*", KeyType.Enter);
        int del = rowContaining("link.del");
        int add = rowContaining("link.new");
        int moved = rowContaining("link.moved");
        assertTrue(del > 1 && add > 1 && moved > 1, screenText());
        assertEquals(TextColor.ANSI.RED, term.getCharacter(20, del).getForegroundColor());
        assertEquals(TextColor.ANSI.GREEN, term.getCharacter(20, add).getForegroundColor());
        assertEquals(TextColor.ANSI.MAGENTA, term.getCharacter(20, moved).getForegroundColor());
    }

    @Test
    void filterByNamespaceAndFieldsShowsTheMatchCount() throws Exception {
        keys('/');
        keys("nsid:0");
        assertTrue(line(23).startsWith("/nsid:0_") && line(23).contains("(44 match)"), line(23));
        keys(KeyType.Enter);
        assertTrue(line(23).contains("filter: nsid:0 (44 match)"), line(23));
        for (int r = 2; r < 22; r++) {
            assertTrue(line(r).isEmpty() || line(r).contains("nsid 0"), "row " + r + ": " + line(r));
        }
        keys(KeyType.Escape);
        assertFalse(line(23).contains("filter:"), line(23));
        keys("/dev:nlhveth0 event:route.*", KeyType.Enter);
        assertTrue(ui.model().visible().stream().allMatch(r -> r.name().startsWith("route.")
                && r.summary().contains("nlhveth0")), screenText());
        assertEquals(18, ui.model().visible().size(), screenText());
        keys(KeyType.Escape, "/type:RTM_NEWNSID", KeyType.Enter);
        assertEquals(2, ui.model().visible().size());
    }

    @Test
    void pauseKeepsTheViewAndCountsWaitingEvents() throws Exception {
        keys(' ');
        assertTrue(line(0).startsWith("nlsniff PAUSED 0 waiting"), line(0));
        String before = line(21);
        Frame f = Frame.data(0, "x", 1, 0, null, java.nio.ByteOrder.LITTLE_ENDIAN,
                java.util.HexFormat.of().parseHex("1c000000580000000000000000000000000000000800010007000000"));
        new Pipeline(decoder, List.of(sink)).accept(f);
        tick();
        assertTrue(line(0).startsWith("nlsniff PAUSED 1 waiting") && line(0).contains("91 events"), line(0));
        assertEquals(before, line(21));
        keys(' ');
        assertTrue(line(21).contains("nsid 7"), line(21));
    }

    @Test
    void detailShowsBothHalvesOfTheMoveAndHighlightsTheSelectedAttribute() throws Exception {
        keys("/event:link.moved", KeyType.Enter, KeyType.Enter);
        String s = screenText();
        assertTrue(s.contains("link.moved") && s.contains("leaving: RTM_DELLINK own namespace frame 10"), s);
        // on the title line the hex is the deletion's (704 bytes, type 17), not the arriving link's
        assertTrue(s.contains("bytes 704") && s.contains("0000 c0 02 00 00 11 00"), s);
        // walk down to the ifname attribute of the leaving half
        int guard = 0;
        while (!ui.detail().lines().get(ui.detailLine()).text().trim().equals("ifname: nlhveth1") && guard++ < 40) {
            keys(KeyType.ArrowDown);
        }
        Detail.Line sel = ui.detail().lines().get(ui.detailLine());
        assertEquals("ifname: nlhveth1", sel.text().trim());
        assertEquals(13, sel.to() - sel.from(), "IFLA_IFNAME nlhveth1 is 13 bytes with its header");
        // the highlighted bytes are the attribute: 0d 00 03 00 'n' 'l' 'h' ...
        int hexRow = rowContaining("0020 0d 00 03 00 6e 6c 68 76");
        assertTrue(hexRow > 0, screenText());
        TextCharacter first = term.getCharacter(5, hexRow);
        assertTrue(first.getModifiers().contains(SGR.REVERSE), "0d highlighted");
        assertEquals(TextColor.ANSI.YELLOW, first.getForegroundColor());
        assertFalse(term.getCharacter(5, hexRow - 1).getModifiers().contains(SGR.REVERSE));
        while (!ui.detail().lines().get(ui.detailLine()).text().startsWith("arriving") && guard++ < 200) {
            keys(KeyType.ArrowDown);
        }
        assertTrue(screenText().contains("arriving: RTM_NEWLINK nsid 0 frame 14"), screenText());
        keys(KeyType.Escape);
        assertTrue(line(1).startsWith("TIME"), "back to the table");
    }

    @Test
    void writeSavesTheEventsInViewAsJsonLines() throws Exception {
        keys("/event:link.*", KeyType.Enter, 'w');
        assertTrue(line(23).startsWith("wrote 15 events to "), line(23));
        try (Stream<Path> files = Files.list(tmp)) {
            Path f = files.filter(p -> p.getFileName().toString().startsWith("nlsniff-view-")).findFirst().orElseThrow();
            List<String> lines = Files.readAllLines(f);
            assertEquals(15, lines.size());
            assertTrue(lines.stream().allMatch(l -> l.contains("\"event\":\"link.")), lines.get(0));
        }
    }

    @Test
    void helpQuitAndScrollingUpStopsFollowing() throws Exception {
        keys('?');
        assertTrue(screenText().contains("space      pause / resume"), screenText());
        keys('x');
        assertFalse(screenText().contains("space      pause / resume"));
        keys(KeyType.ArrowUp);
        assertFalse(line(0).contains("FOLLOW"), line(0));
        keys(KeyType.End);
        assertTrue(line(0).contains("FOLLOW"), line(0));
        assertTrue(ui.key(new KeyStroke('k', false, false)));
        assertFalse(ui.key(new KeyStroke('q', false, false)), "q quits");
        assertTrue(ui.quit());
    }

    @Test
    void resizesCleanly() throws Exception {
        term.setTerminalSize(new TerminalSize(120, 40));
        tick();
        assertEquals(new TerminalSize(120, 40), screen.getTerminalSize());
        assertTrue(line(39).contains("q quit"), line(39));
        assertTrue(line(37).contains("nsid.del"), line(37));
        term.setTerminalSize(new TerminalSize(80, 24));
        tick();
        assertTrue(line(23).contains("q quit"));
        assertNotNull(term.getCharacter(new TerminalPosition(79, 23)));
    }
}
