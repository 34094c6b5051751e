package org.nlsniff.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.nlsniff.app.Decoding;
import org.nlsniff.app.Pipeline;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.Frame;
import org.nlsniff.sink.EventSink;
import org.nlsniff.sink.JsonLinesSink;
import org.nlsniff.sink.TextSink;
import org.nlsniff.source.CaptureFileSource;
import org.nlsniff.spec.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nlsniff bench}: throughput of nlsniff against {@code ip monitor file}, tshark and
 * pyroute2 on the same messages: the real datagrams of the bundled captures, repeated into a
 * large nlmon capture (and, for ip, the same messages back to back) in a temporary directory.
 *
 * <p>In-process rows run in this JVM after one warm-up pass; process rows include the start-up of
 * their program, and nlsniff's, ip's and tshark's take their runs in turns; every figure is the
 * best wall-clock time of {@code --runs} runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Measure throughput against ip monitor, tshark and pyroute2.",
        description = {
            // One string per paragraph: picocli wraps it to the terminal's width.
            "Benchmark: nlsniff's decoder, text and JSON output (in-process and as a whole "
                    + "process) against `ip monitor all file`, `tshark -T json` and pyroute2's "
                    + "parser, on a generated nlmon capture repeating the real datagrams of "
                    + "samples/*/*.pcap. Tools that are not installed are skipped with a note."
        },
        footer = {"", "Examples:",
            "  nlsniff bench                       2 million messages (about 8 minutes)",
            "  nlsniff bench --quick --out b.json  200,000 messages, results also as JSON"})
public final class BenchCommand implements Callable<Integer> {
    static final long DEFAULT_MESSAGES = 2_000_000L;
    static final long QUICK_MESSAGES = 200_000L;
    /** The ./nlsniff launcher's JVM options for a large capture, when the script is not there. */
    static final String LAUNCHER_OPTS =
            "-XX:+UseSerialGC -Xmn64m -Xms96m -XX:InlineSmallCode=300 -XX:FreqInlineSize=100 "
                    + "-Xshare:auto -XX:-UsePerfData";
    static final List<String> STEPS = List.of("read", "decode", "text", "json", "process",
            "launcher", "launcher-text", "ip", "tshark", "pyroute2", "small");

    @Option(names = "--messages", paramLabel = "N",
            description = "Netlink messages in the generated capture (default: 2000000; "
                    + "200000 with --quick). Whole datagrams, so a few more at most.")
    Long messages;

    @Option(names = "--quick", description = "Smoke run: 200000 messages.")
    boolean quick;

    @Option(names = "--keep", paramLabel = "DIR",
            description = "Write the generated files into DIR and keep them (default: a temporary "
                    + "directory, deleted at the end).")
    Path keep;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path out;

    @Option(names = "--runs", paramLabel = "N",
            description = "Timed runs per measurement; the best counts (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--tshark-messages", paramLabel = "N",
            description = "tshark decodes only the first N messages (it is slow); its rate is "
                    + "extrapolated per message (default: ${DEFAULT-VALUE}).")
    long tsharkMessages = 20_000;

    @Option(names = "--python-messages", paramLabel = "N",
            description = "pyroute2 parses only the first N messages (default: ${DEFAULT-VALUE}).")
    long pythonMessages = 100_000;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "Where the sample captures are (default: ./samples, or beside the jar).")
    Path samplesDir;

    @Option(names = "--jar", paramLabel = "JAR",
            description = "nlsniff jar for the whole-process rows (default: the jar running this, "
                    + "else this JVM's class path).")
    Path jar;

    @Option(names = "--skip", paramLabel = "LIST", split = ",",
            description = "Steps to leave out: read, decode, text, json, process, launcher, "
                    + "launcher-text, ip, tshark, pyroute2, small.")
    List<String> skip = new ArrayList<>();

    private final PrintStream stdout;
    private final PrintStream log;

    /** Writes the table to System.out and progress to System.err. */
    public BenchCommand() {
        this(System.out, System.err);
    }

    /** Writes the table to {@code stdout} and progress to {@code log}. */
    public BenchCommand(PrintStream stdout, PrintStream log) {
        this.stdout = stdout;
        this.log = log;
    }

    /** Runs the benchmark on its own ({@code java -cp nlsniff.jar org.nlsniff.bench.BenchCommand}). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    /** One measured (or skipped) tool. {@code seconds} is the best run. */
    record Row(String key, String tool, long messages, double seconds, List<Double> runs,
            Long peakRssKb, String note, String skipped) {
        double rate() {
            return skipped != null || seconds <= 0 ? Double.NaN : messages / seconds;
        }

        static Row skip(String key, String tool, String why) {
            return new Row(key, tool, 0, Double.NaN, List.of(), null, null, why);
        }
    }

    /** A figure the issue asks about, with its target when it has one. */
    record Ratio(String name, double value, String unit, String target, Boolean met) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<Row> small = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private final Map<String, Object> environment = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        for (String s : skip) {
            if (!STEPS.contains(s)) {
                log.println("nlsniff bench: --skip: unknown step '" + s + "' (steps: "
                        + String.join(", ", STEPS) + ")");
                return 2;
            }
        }
        long target = messages != null ? messages : quick ? QUICK_MESSAGES : DEFAULT_MESSAGES;
        if (target < 1 || runs < 1) {
            log.println("nlsniff bench: --messages and --runs must be at least 1");
            return 2;
        }
        Path samples = samplesDir != null ? samplesDir : defaultSamples();
        if (samples == null || !Files.isDirectory(samples)) {
            log.println("nlsniff bench: no samples directory (run from the repository or give "
                    + "--samples DIR)");
            return 2;
        }
        SpecDecoder decoder;
        try {
            decoder = Decoding.build(List.of());
        } catch (SpecException e) {
            log.println("nlsniff bench: decoder specs: " + e.getMessage());
            return 2;
        }
        Corpus corpus = Corpus.load(samples);
        Path dir;
        if (keep != null) {
            dir = Files.createDirectories(keep);
        } else {
            dir = Files.createTempDirectory("nlsniff-bench");
        }
        try {
            return bench(decoder, corpus, samples, target, dir);
        } finally {
            if (keep == null) {
                deleteTree(dir);
            } else {
                log.println("nlsniff bench: kept " + dir.resolve("big.pcap") + " and "
                        + dir.resolve("ip-monitor.bin"));
            }
        }
    }

    private int bench(SpecDecoder decoder, Corpus corpus, Path samples, long target, Path dir)
            throws Exception {
        environment();
        List<Corpus.Datagram> seq = corpus.sequence(target);
        log.printf(Locale.ROOT, "nlsniff bench: %d usable datagrams (%d messages) in %s, %d left "
                        + "out; writing %d messages to %s%n", corpus.datagrams().size(),
                corpus.uniqueMessages(), corpus.files(), corpus.skipped(), target, dir);
        Corpus.Generated gen = Corpus.write(seq, dir.resolve("big.pcap"),
                dir.resolve("ip-monitor.bin"));
        long total = gen.messages();
        log.printf(Locale.ROOT, "nlsniff bench: big.pcap: %d frames, %d messages, %.1f MB; "
                        + "ip-monitor.bin: %.1f MB%n", gen.frames(), total, gen.pcapBytes() / 1e6,
                gen.ipBytes() / 1e6);
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path big = gen.pcap();

        // ---- in-process ----
        if (on("read")) {
            rows.add(inProcess("read", "nlsniff in-process: read capture only", total, gen.frames(),
                    "frames", () -> {
                        long n = 0;
                        try (CaptureFileSource src = CaptureFileSource.open(big)) {
                            while (src.next() != null) {
                                n++;
                            }
                        }
                        return new long[] {n, 0};
                    }));
        }
        if (on("decode")) {
            List<Frame> frames = Corpus.frames(seq, "big.pcap");
            rows.add(inProcess("decode", "nlsniff in-process: decode only (frames in memory)",
                    total, total, "messages", () -> {
                        long n = 0;
                        for (Frame f : frames) {
                            n += decoder.decode(f).size();
                        }
                        return new long[] {n, 0};
                    }));
        }
        if (on("text")) {
            rows.add(inProcess("text", "nlsniff in-process: capture -> text", total, -1, "events",
                    () -> pipeline(decoder, big, false)));
        }
        if (on("json")) {
            rows.add(inProcess("json", "nlsniff in-process: capture -> JSON lines", total, -1,
                    "events", () -> pipeline(decoder, big, true)));
        }

        // ---- whole processes: nlsniff's, ip's and tshark's timed runs in turns ----
        NlsniffLauncher nl = launcher(samples);
        List<Timed> turns = new ArrayList<>();
        if (on("process")) {
            turns.add(checked("process", "nlsniff --json, whole process: " + nl.label(List.of()),
                    total, nl.command(List.of(), "-r", big.toString(), "--json"), null, scratch,
                    "JSON lines"));
        }
        Launch launch = launch(samples, nl);
        if (on("launcher")) {
            turns.add(checked("launcher", "nlsniff --json, whole process, " + launch.label(),
                    total, launch.command("-r", big.toString(), "--json"), null, scratch,
                    "JSON lines"));
        }
        if (on("launcher-text")) {
            // Text against text: the same printer ip has, beside the JSON the issue compares.
            turns.add(checked("launcher-text", "nlsniff text, whole process, " + launch.label(),
                    total, launch.command("-r", big.toString()), null, scratch, "text lines"));
        }
        Path ip = Measure.which("ip", "/usr/sbin", "/sbin", "/usr/bin", "/bin");
        if (on("ip") && ip != null) {
            turns.add(ipMonitor(ip, gen, scratch));
        }
        Path tshark = Measure.which("tshark");
        if (on("tshark") && tshark != null) {
            long[] pre = Corpus.prefix(seq, Math.min(tsharkMessages, total));
            Timed t = checked("tshark", "tshark -r big.pcap -c " + pre[0] + " -T json", pre[1],
                    List.of(tshark.toString(), "-r", big.toString(), "-c",
                            Long.toString(pre[0]), "-T", "json"), null, scratch, "lines");
            t.more = "first " + pre[1] + " messages (" + pre[0] + " frames) only;"
                    + " messages/s extrapolated per message, start-up included";
            turns.add(t);
        }
        rows.addAll(inTurns(turns));
        if (on("ip") && ip == null) {
            rows.add(Row.skip("ip", "ip monitor all file F", "ip (iproute2) is not installed"));
        }
        if (on("tshark") && tshark == null) {
            rows.add(Row.skip("tshark", "tshark -T json",
                    "tshark is not installed (apt-get install tshark)"));
        }
        if (on("pyroute2")) {
            rows.add(pyroute2(seq, total, big, scratch));
        }

        // ---- the small sample, JVM start included ----
        if (on("small")) {
            smallSample(samples, nl, launch, tshark, scratch);
        }

        environment.put("loadavg_at_end", loadavg());
        computeRatios();
        printTable(gen, corpus, target);
        if (out != null) {
            writeJson(gen, corpus, target);
        }
        boolean failed = Stream.concat(rows.stream(), small.stream())
                .anyMatch(r -> r.skipped() == null && r.note() != null
                        && r.note().startsWith("FAILED"));
        return failed ? 1 : 0;
    }

    private boolean on(String step) {
        return !skip.contains(step);
    }

    // ---------------------------------------------------------------------------------------------
    // In-process runs.

    private interface Body {
        /** One pass; returns {count to check, output bytes}. */
        long[] run() throws Exception;
    }

    private long[] pipeline(SpecDecoder decoder, Path capture, boolean json) throws IOException {
        Measure.CountingNull sinkOut = new Measure.CountingNull();
        // As the CLI: the JSON writer buffers itself, the text sink is buffered.
        java.io.OutputStream buffered = json ? sinkOut : new BufferedOutputStream(sinkOut, 1 << 16);
        EventSink sink = json ? new JsonLinesSink(buffered, decoder.spec())
                : new TextSink(new OutputStreamWriter(buffered, StandardCharsets.UTF_8), false);
        Pipeline p = new Pipeline(decoder, List.of(sink));
        try (CaptureFileSource src = CaptureFileSource.open(capture)) {
            Frame f;
            while ((f = src.next()) != null) {
                p.accept(f);
            }
        }
        p.finish();
        buffered.flush();
        return new long[] {p.messages(), sinkOut.bytes};
    }

    private Row inProcess(String key, String tool, long messages, long expected, String what,
            Body body) throws Exception {
        long w0 = System.nanoTime();
        long[] first = body.run();
        double warm = (System.nanoTime() - w0) / 1e9;
        log.printf(Locale.ROOT, "nlsniff bench: %s: warm-up pass: %.3f s%n", key, warm);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            System.gc();
            long t0 = System.nanoTime();
            long[] r = body.run();
            double s = (System.nanoTime() - t0) / 1e9;
            times.add(s);
            log.printf(Locale.ROOT, "nlsniff bench: %s: run %d/%d: %.3f s%n", key, i + 1, runs, s);
            if (r[0] != first[0]) {
                return new Row(key, tool, messages, best(times), times, null,
                        "FAILED: " + what + " changed between runs: " + first[0] + " then " + r[0],
                        null);
            }
        }
        String note = first[0] + " " + what + (first[1] > 0 ? String.format(Locale.ROOT,
                ", %.1f MB of output", first[1] / 1e6) : "")
                + String.format(Locale.ROOT, "; warm-up pass (cold JIT) %.3f s", warm);
        if (expected >= 0 && first[0] != expected) {
            note = "FAILED: " + note + ", expected " + expected;
        }
        return new Row(key, tool, messages, best(times), times, null, note, null);
    }

    // ---------------------------------------------------------------------------------------------
    // Child processes.

    private Row process(String key, String tool, long messages, List<String> cmd, Path stdin,
            Path scratch, String outputUnit) throws IOException, InterruptedException {
        Timed t = checked(key, tool, messages, cmd, stdin, scratch, outputUnit);
        while (t.failed == null && t.times.size() < runs) {
            t.run();
        }
        return t.row();
    }

    /**
     * A command checked once and then timed run by run: the whole-process rows that are
     * compared with each other (nlsniff, ip, tshark) take their runs in turns (one of each, then
     * again), so that a machine whose speed drifts over minutes (these VMs: by 15-20%) slows
     * them alike.
     */
    private final class Timed {
        final String key;
        final String tool;
        final long messages;
        final List<String> cmd;
        final Path stdin;
        final Path scratch;
        final String note;
        final List<Double> times = new ArrayList<>();
        long rss; // of the timed runs only: the check run may include a launcher's build
        String failed;
        /** Added to the row's note (what a further check found), or null. */
        String more;

        Timed(String key, String tool, long messages, List<String> cmd, Path stdin, Path scratch,
                String note, String failed) {
            this.key = key;
            this.tool = tool;
            this.messages = messages;
            this.cmd = cmd;
            this.stdin = stdin;
            this.scratch = scratch;
            this.note = note;
            this.failed = failed;
        }

        void run() throws IOException, InterruptedException {
            Measure.Run r = Measure.run(cmd, stdin, false, scratch);
            if (r.exit() != 0) {
                failed = "FAILED: exit " + r.exit() + ": " + firstLines(r.stderr());
                return;
            }
            times.add(r.seconds());
            rss = Math.max(rss, r.peakRssKb());
            log.printf(Locale.ROOT, "nlsniff bench: %s: run %d/%d: %.3f s, peak RSS %d MiB%n",
                    key, times.size(), runs, r.seconds(), r.peakRssKb() / 1024);
        }

        Row row() {
            if (failed != null) {
                return new Row(key, tool, messages, Double.NaN, List.of(), null, failed, null);
            }
            Row r = new Row(key, tool, messages, best(times), List.copyOf(times),
                    rss > 0 ? rss : null, note, null);
            return more == null ? r : withNote(r, more);
        }
    }

    private Timed checked(String key, String tool, long messages, List<String> cmd, Path stdin,
            Path scratch, String outputUnit) throws IOException, InterruptedException {
        log.printf("nlsniff bench: %s: checking: %s%n", key, String.join(" ", cmd));
        Measure.Run check = Measure.run(cmd, stdin, true, scratch);
        if (check.exit() != 0) {
            return new Timed(key, tool, messages, cmd, stdin, scratch, null,
                    "FAILED: exit " + check.exit() + ": " + firstLines(check.stderr()));
        }
        String note = String.format(Locale.ROOT, "%d %s, %.1f MB of output", check.outLines(),
                outputUnit, check.outBytes() / 1e6);
        return new Timed(key, tool, messages, cmd, stdin, scratch, note, null);
    }

    /** Runs the checked commands in turns until each has {@code runs} timed runs (or failed). */
    private List<Row> inTurns(List<Timed> timed) throws IOException, InterruptedException {
        for (int i = 0; i < runs; i++) {
            for (Timed t : timed) {
                if (t.failed == null) {
                    t.run();
                }
            }
        }
        List<Row> out = new ArrayList<>();
        for (Timed t : timed) {
            out.add(t.row());
        }
        return out;
    }

    /** ip's row checked (its stdin form too) and ready to be timed, or failed. */
    private Timed ipMonitor(Path ip, Corpus.Generated gen, Path scratch)
            throws IOException, InterruptedException {
        String version = Measure.firstLine(List.of(ip.toString(), "-V"));
        String tool = "ip monitor all file F" + (version != null ? " (" + version + ")" : "");
        List<String> cmd = List.of(ip.toString(), "monitor", "all", "file",
                gen.ipFile().toString());
        // What the issue asks to check: ip's own printer reads the messages back to back.
        log.println("nlsniff bench: ip: checking: ip monitor all file /dev/stdin < "
                + gen.ipFile());
        Measure.Run check = Measure.run(List.of(ip.toString(), "monitor", "all", "file",
                "/dev/stdin"), gen.ipFile(), true, scratch);
        if (check.exit() != 0) {
            return new Timed("ip", tool, gen.messages(), cmd, null, scratch, null,
                    "FAILED: `ip monitor all file /dev/stdin < F`: exit " + check.exit() + ": "
                            + firstLines(check.stderr()));
        }
        Timed t = checked("ip", tool, gen.messages(), cmd, null, scratch, "lines");
        String warnings = check.stderr().isEmpty() ? "" : String.format(Locale.ROOT,
                "; ip's stderr: %d lines, e.g. \"%s\"", check.stderr().lines().count(),
                check.stderr().lines().findFirst().orElse(""));
        t.more = String.format(Locale.ROOT, "`ip monitor all file /dev/stdin < F` "
                + "works: %d messages printed ([LABEL] lines)%s",
                check.outLinesStartingWithBracket(), warnings);
        return t;
    }

    private Row pyroute2(List<Corpus.Datagram> seq, long total, Path big, Path scratch)
            throws IOException, InterruptedException {
        String tool = "pyroute2 MarshalRtnl().parse(datagram)";
        String python = null;
        List<String> candidates = new ArrayList<>();
        Path onPath = Measure.which("python3");
        if (onPath != null) {
            candidates.add(onPath.toString());
        }
        candidates.add("/usr/bin/python3");
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c)) && exitsZero(List.of(c, "-c", Pyroute2Script.PROBE))) {
                python = c;
                break;
            }
        }
        if (python == null) {
            return Row.skip("pyroute2", tool, "no python3 with pyroute2 (apt-get install "
                    + "python3-pyroute2)");
        }
        long[] pre = Corpus.prefix(seq, Math.min(pythonMessages, total));
        Path script = scratch.resolve("pyroute2_bench.py");
        Files.writeString(script, Pyroute2Script.SOURCE);
        Path result = scratch.resolve("pyroute2.json");
        Path err = scratch.resolve("pyroute2.err");
        log.printf("nlsniff bench: pyroute2: %s, %d messages, %d runs%n", python, pre[1], runs);
        Process p = new ProcessBuilder(python, script.toString(), big.toString(),
                Long.toString(pre[0]), Integer.toString(runs))
                .redirectOutput(result.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        p.waitFor();
        if (p.exitValue() != 0) {
            return new Row("pyroute2", tool, pre[1], Double.NaN, List.of(), null,
                    "FAILED: exit " + p.exitValue() + ": " + firstLines(Files.readString(err)),
                    null);
        }
        Map<?, ?> m = new ObjectMapper().readValue(Files.readString(result).strip(), Map.class);
        long parsed = ((Number) m.get("messages")).longValue();
        double seconds = ((Number) m.get("seconds")).doubleValue();
        List<Double> times = new ArrayList<>();
        for (Object o : (List<?>) m.get("runs")) {
            times.add(((Number) o).doubleValue());
        }
        String note = "pyroute2 " + m.get("version") + ", Python " + m.get("python") + "; first "
                + pre[1] + " messages (" + pre[0] + " frames), parse only (datagrams read "
                + "beforehand, one warm-up pass), extrapolated per message";
        if (parsed != pre[1]) {
            note += "; NOTE: pyroute2 returned " + parsed + " messages";
        }
        return new Row("pyroute2", tool + " [" + python + "]", pre[1], seconds, times, null, note,
                null);
    }

    private void smallSample(Path samples, NlsniffLauncher nl, Launch launch, Path tshark,
            Path scratch) throws Exception {
        Path seed = samples.resolve("seed").resolve("seed.pcap");
        if (!Files.isRegularFile(seed)) {
            small.add(Row.skip("small-nlsniff", "seed.pcap", seed + " not found"));
            return;
        }
        long msgs = 0;
        try (CaptureFileSource src = CaptureFileSource.open(seed)) {
            Frame f;
            while ((f = src.next()) != null) {
                Corpus.Datagram d = Corpus.walk("seed", f.data());
                msgs += d != null ? d.messages() : 1;
            }
        }
        int n = Math.max(runs, 3);
        int saved = runs;
        runs = n;
        try {
            small.add(process("small-nlsniff", "nlsniff: " + nl.label(List.of())
                    + " -r seed.pcap --json", msgs,
                    nl.command(List.of(), "-r", seed.toString(), "--json"), null, scratch,
                    "JSON lines"));
            small.add(process("small-launcher", "nlsniff, " + launch.label()
                    + " -r seed.pcap --json", msgs, launch.command("-r", seed.toString(), "--json"),
                    null, scratch, "JSON lines"));
            if (tshark == null || !on("tshark")) {
                small.add(Row.skip("small-tshark", "tshark -r seed.pcap -T json",
                        tshark == null ? "tshark is not installed" : "--skip tshark"));
            } else {
                small.add(process("small-tshark", "tshark -r seed.pcap -T json", msgs,
                        List.of(tshark.toString(), "-r", seed.toString(), "-T", "json"), null,
                        scratch, "lines"));
            }
        } finally {
            runs = saved;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // How to start nlsniff as a process.

    /** {@code java -jar JAR} or {@code java -cp CLASSPATH org.nlsniff.cli.Main}. */
    private record NlsniffLauncher(String java, Path jar, String classPath) {
        List<String> command(List<String> jvmFlags, String... args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(jvmFlags);
            if (jar != null) {
                cmd.add("-jar");
                cmd.add(jar.toString());
            } else {
                cmd.add("-cp");
                cmd.add(classPath);
                cmd.add("org.nlsniff.cli.Main");
            }
            cmd.addAll(List.of(args));
            return cmd;
        }

        String label(List<String> flags) {
            String f = flags.isEmpty() ? "" : String.join(" ", flags) + " ";
            return jar != null ? "java " + f + "-jar " + jar.getFileName()
                    : "java " + f + "-cp <class path> org.nlsniff.cli.Main";
        }
    }

    private NlsniffLauncher launcher(Path samples) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path j = jar;
        if (j == null) {
            Path self = codeSource();
            if (self != null && self.toString().endsWith(".jar")) {
                j = self;
            }
        }
        if (j != null) {
            return new NlsniffLauncher(java, j.toAbsolutePath(), null);
        }
        return new NlsniffLauncher(java, null, System.getProperty("java.class.path"));
    }

    /** How a user starts nlsniff: the ./nlsniff script beside the samples, else its JVM flags. */
    private record Launch(Path script, NlsniffLauncher nl, List<String> flags) {
        List<String> command(String... args) {
            if (script == null) {
                return nl.command(flags, args);
            }
            List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
            cmd.addAll(List.of(args));
            return cmd;
        }

        String label() {
            return script != null ? "./nlsniff (its JVM flags and class archive)"
                    : "./nlsniff JVM flags (" + String.join(" ", flags) + ")";
        }
    }

    private Launch launch(Path samples, NlsniffLauncher nl) {
        Path parent = samples.toAbsolutePath().getParent();
        Path script = parent == null ? null : parent.resolve("nlsniff");
        if (script != null && Files.isRegularFile(script)
                && Files.isRegularFile(parent.resolve("target").resolve("nlsniff.jar"))) {
            return new Launch(script, nl, List.of());
        }
        return new Launch(null, nl, launcherFlags());
    }

    /** Without the script: its flags for a large capture ($NLSNIFF_JAVA_OPTS wins, as there). */
    private static List<String> launcherFlags() {
        String env = System.getenv("NLSNIFF_JAVA_OPTS");
        String opts = env != null && !env.isBlank() ? env : LAUNCHER_OPTS;
        return List.of(opts.trim().split("\\s+"));
    }

    private static Path codeSource() {
        try {
            var src = BenchCommand.class.getProtectionDomain().getCodeSource();
            return src == null ? null : Path.of(src.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static Path defaultSamples() {
        Path here = Path.of("samples");
        if (Files.isDirectory(here)) {
            return here;
        }
        Path self = codeSource();
        // target/nlsniff.jar or target/classes -> the repository root
        if (self != null && self.getParent() != null && self.getParent().getParent() != null) {
            Path beside = self.getParent().getParent().resolve("samples");
            if (Files.isDirectory(beside)) {
                return beside;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // Results.

    private Row row(String key) {
        return rows.stream().filter(r -> r.key().equals(key) && r.skipped() == null
                && !Double.isNaN(r.rate())).findFirst().orElse(null);
    }

    private void computeRatios() {
        Row ip = row("ip");
        Row tshark = row("tshark");
        for (String key : List.of("process", "launcher", "json")) {
            Row r = row(key);
            String what = key.equals("json") ? "in-process" : key.equals("process")
                    ? "whole process, java -jar" : "whole process, ./nlsniff";
            if (r != null && ip != null) {
                double v = r.rate() / ip.rate();
                ratios.add(new Ratio("nlsniff JSON (" + what + ") / ip monitor file text, "
                        + "messages/s", v, "x", ">= 1", v >= 1));
            }
        }
        Row text = row("launcher-text");
        if (text != null && ip != null) {
            ratios.add(new Ratio("nlsniff text (whole process, ./nlsniff) / ip monitor file text, "
                    + "messages/s", text.rate() / ip.rate(), "x", null, null));
        }
        for (String key : List.of("process", "launcher", "json")) {
            Row r = row(key);
            String what = key.equals("json") ? "in-process" : key.equals("process")
                    ? "whole process, java -jar" : "whole process, ./nlsniff";
            if (r != null && tshark != null) {
                double v = r.rate() / tshark.rate();
                ratios.add(new Ratio("nlsniff JSON (" + what + ") / tshark -T json, messages/s",
                        v, "x", ">= 50", v >= 50));
            }
        }
        for (String key : List.of("process", "launcher")) {
            Row r = row(key);
            if (r != null && r.peakRssKb() != null) {
                double mib = r.peakRssKb() / 1024.0;
                ratios.add(new Ratio("peak RSS, nlsniff --json on " + r.messages() + " messages ("
                        + (key.equals("process") ? "java -jar" : "./nlsniff") + ")", mib,
                        "MiB", "< 256", mib < 256));
            }
        }
        Row sn = small.stream().filter(r -> r.key().equals("small-nlsniff") && r.skipped() == null
                && !Double.isNaN(r.seconds())).findFirst().orElse(null);
        Row sl = small.stream().filter(r -> r.key().equals("small-launcher")
                && r.skipped() == null && !Double.isNaN(r.seconds())).findFirst().orElse(null);
        Row st = small.stream().filter(r -> r.key().equals("small-tshark") && r.skipped() == null
                && !Double.isNaN(r.seconds())).findFirst().orElse(null);
        if (st != null) {
            if (sn != null) {
                ratios.add(new Ratio("small sample seed.pcap wall time, tshark / nlsniff (java "
                        + "-jar), > 1: nlsniff faster", st.seconds() / sn.seconds(), "x", null, null));
            }
            if (sl != null) {
                double v = st.seconds() / sl.seconds();
                ratios.add(new Ratio("small sample seed.pcap wall time, tshark / nlsniff "
                        + "(./nlsniff), > 1: nlsniff faster", v, "x", "> 1", v > 1));
            }
        }
    }

    private void printTable(Corpus.Generated gen, Corpus corpus, long target) {
        PrintStream o = stdout;
        Row ip = row("ip");
        o.printf(Locale.ROOT, "nlsniff bench: %,d netlink messages (%,d frames; --messages %,d), "
                        + "repeating %d datagrams / %d messages of %s%n", gen.messages(),
                gen.frames(), target, corpus.datagrams().size(), corpus.uniqueMessages(),
                String.join(" ", corpus.files()));
        o.printf(Locale.ROOT, "best of %d runs, wall clock; in-process rows after one warm-up "
                + "pass; process rows include start-up, nlsniff's, ip's and tshark's timed in "
                + "turns; %d CPUs, load average %s at start, %s at end%n%n", runs,
                Runtime.getRuntime().availableProcessors(),
                environment.get("loadavg_at_start"), environment.get("loadavg_at_end"));
        int w = Math.max(40, rows.stream().mapToInt(r -> r.tool().length()).max().orElse(40));
        w = Math.min(w, 90);
        String fmt = "%-" + w + "s %11s %9s %13s %9s %9s%n";
        o.printf(Locale.ROOT, fmt, "tool", "messages", "seconds", "messages/s", "vs ip", "peak RSS");
        o.println("-".repeat(w + 56));
        List<String> notes = new ArrayList<>();
        for (Row r : rows) {
            printRow(o, fmt, w, r, ip, notes);
        }
        if (!small.isEmpty()) {
            o.println();
            o.printf(Locale.ROOT, "small sample, JVM start included (best of %d runs):%n",
                    Math.max(runs, 3));
            for (Row r : small) {
                printRow(o, fmt, w, r, null, notes);
            }
        }
        if (!ratios.isEmpty()) {
            o.println();
            o.println("figures the issue asks about:");
            for (Ratio q : ratios) {
                String v = q.unit().equals("MiB") ? String.format(Locale.ROOT, "%.0f MiB", q.value())
                        : String.format(Locale.ROOT, "%.2fx", q.value());
                String t = q.target() == null ? "" : "  target " + q.target()
                        + (q.met() ? ": met" : ": NOT met");
                o.printf(Locale.ROOT, "  %-96s %10s%s%n", q.name(), v, t);
            }
        }
        if (!notes.isEmpty()) {
            o.println();
            o.println("notes:");
            notes.forEach(n -> o.println("  " + n));
        }
        o.flush();
    }

    private static void printRow(PrintStream o, String fmt, int w, Row r, Row ip,
            List<String> notes) {
        String tool = r.tool().length() > w ? r.tool().substring(0, w - 3) + "..." : r.tool();
        if (r.skipped() != null) {
            o.printf(Locale.ROOT, fmt, tool, "-", "-", "-", "-", "-");
            notes.add(r.key() + ": skipped: " + r.skipped());
            return;
        }
        double rate = r.rate();
        String vsIp = ip != null && !Double.isNaN(rate)
                ? String.format(Locale.ROOT, "%.2f", rate / ip.rate()) : "";
        o.printf(Locale.ROOT, fmt, tool, String.format(Locale.ROOT, "%,d", r.messages()),
                Double.isNaN(r.seconds()) ? "-" : String.format(Locale.ROOT, "%.3f", r.seconds()),
                Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%,.0f", rate), vsIp,
                r.peakRssKb() == null ? "" : (r.peakRssKb() / 1024) + " MiB");
        if (r.note() != null) {
            notes.add(r.key() + ": " + (r.tool().length() > w ? r.tool() + ": " : "") + r.note());
        }
    }

    private void writeJson(Corpus.Generated gen, Corpus corpus, long target) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("messages", gen.messages());
        doc.put("frames", gen.frames());
        doc.put("messages_requested", target);
        doc.put("runs", runs);
        doc.put("samples", corpus.files());
        doc.put("unique_datagrams", corpus.datagrams().size());
        doc.put("unique_messages", corpus.uniqueMessages());
        doc.put("pcap_bytes", gen.pcapBytes());
        doc.put("ip_file_bytes", gen.ipBytes());
        doc.put("environment", environment);
        Row ip = row("ip");
        doc.put("rows", rows.stream().map(r -> rowJson(r, ip)).toList());
        doc.put("small_sample", small.stream().map(r -> rowJson(r, null)).toList());
        List<Map<String, Object>> rs = new ArrayList<>();
        for (Ratio q : ratios) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", q.name());
            m.put("value", q.value());
            m.put("unit", q.unit());
            m.put("target", q.target());
            m.put("met", q.met());
            rs.add(m);
        }
        doc.put("figures", rs);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), doc);
    }

    private static Map<String, Object> rowJson(Row r, Row ip) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", r.key());
        m.put("tool", r.tool());
        if (r.skipped() != null) {
            m.put("skipped", r.skipped());
            return m;
        }
        m.put("messages", r.messages());
        m.put("seconds", Double.isNaN(r.seconds()) ? null : r.seconds());
        m.put("messages_per_second", Double.isNaN(r.rate()) ? null : r.rate());
        m.put("ratio_to_ip_monitor", ip == null || Double.isNaN(r.rate()) ? null
                : r.rate() / ip.rate());
        m.put("runs_seconds", r.runs());
        m.put("peak_rss_kib", r.peakRssKb());
        m.put("note", r.note());
        return m;
    }

    private void environment() {
        environment.put("java", System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        environment.put("cpus", Runtime.getRuntime().availableProcessors());
        environment.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        Path tshark = Measure.which("tshark");
        if (tshark != null) {
            environment.put("tshark", Measure.firstLine(List.of(tshark.toString(), "-v")));
        }
        environment.put("gnu_time", Files.isExecutable(Measure.GNU_TIME));
        environment.put("loadavg_at_start", loadavg());
    }

    /** /proc/loadavg's first three fields: other work on the machine skews every figure. */
    private static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static Row withNote(Row r, String note) {
        if (r.note() != null && r.note().startsWith("FAILED")) {
            return r;
        }
        return new Row(r.key(), r.tool(), r.messages(), r.seconds(), r.runs(), r.peakRssKb(),
                r.note() == null ? note : r.note() + "; " + note, r.skipped());
    }

    private static double best(List<Double> times) {
        return times.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static String firstLines(String s) {
        String t = s.strip().lines().limit(3).reduce((a, b) -> a + " | " + b).orElse("");
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    private static boolean exitsZero(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** For tests: the keys of the rows measured or skipped. */
    Set<String> keys() {
        return Set.copyOf(rows.stream().map(Row::key).toList());
    }
}
