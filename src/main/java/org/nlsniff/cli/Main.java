package org.nlsniff.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nlsniff.app.DecodeAhead;
import org.nlsniff.app.Decoding;
import org.nlsniff.app.LiveCapture;
import org.nlsniff.app.Pipeline;
import org.nlsniff.bench.BenchCommand;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.NamespaceNames;
import org.nlsniff.frame.CaptureException;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.FrameSource;
import org.nlsniff.record.CaptureWriter;
import org.nlsniff.record.Recorder;
import org.nlsniff.sink.EventSink;
import org.nlsniff.sink.JsonLinesSink;
import org.nlsniff.sink.TextSink;
import org.nlsniff.source.CaptureFileSource;
import org.nlsniff.source.linux.Terminals;
import org.nlsniff.spec.Family;
import org.nlsniff.spec.Spec;
import org.nlsniff.spec.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code nlsniff} command: live rtnetlink monitor or nlmon capture reader.
 *
 * <p>Exit codes: 0 success, 1 runtime failure (a syscall failed, output closed), 2 unusable input
 * or usage (bad option, missing or damaged capture, bad decoder spec).
 */
@Command(
        name = "nlsniff",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Watch rtnetlink events live (like `ip monitor`) or decode an nlmon capture, as",
            "ip-monitor-like text or JSON lines.",
            "",
            "Live mode joins the multicast groups of --groups on a NETLINK_ROUTE socket; the",
            "default groups need no privileges."
        },
        footer = {
            "",
            "Examples:",
            "  nlsniff                                   live link/addr/route/nsid events",
            "  nlsniff --json | jq -c 'select(.event==\"link.del\")'",
            "  nlsniff -r samples/seed/seed.pcap         replay an nlmon capture",
            "  nlsniff -r capture.pcapng --json -c 10    first 10 messages as JSON lines",
            "",
            "Exit status: 0 ok, 1 runtime failure, 2 unusable input or usage."
        })
public final class Main implements Callable<Integer> {

    @Option(names = {"-r", "--read"}, paramLabel = "FILE",
            description = "Read an nlmon capture (pcap or pcapng, link type 253) instead of listening"
                    + " (`-`: standard input redirected from a file).")
    Path readFile;

    @Option(names = "--json", description = "Write JSON lines (one object per netlink message).")
    boolean json;

    @Option(names = {"-t", "--timestamps"},
            description = "Prefix text lines with the RFC 3339 UTC time of the message.")
    boolean timestamps;

    @Option(names = {"-c", "--count"}, paramLabel = "N",
            description = "Exit after N messages (0: set up, decode nothing, exit).")
    long count = -1;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

    /** Options that only make sense when listening: a usage error with -r. */
    private static final List<String> LIVE_ONLY = List.of("--groups", "--all-nsid",
            "--assign-nsids", "--netns", "--dump", "--write", "--rcvbuf", "--queue", "--resync",
            "--no-names");

    @Option(names = {"-g", "--groups"}, paramLabel = "LIST", split = ",",
            description = "Live multicast groups: link, addr, route, nsid, neigh, rule, netconf, "
                    + "nexthop, or `all`; comma separated (default: ${DEFAULT-VALUE}).")
    List<String> groups = new ArrayList<>(List.of("link", "addr", "route", "nsid"));

    @Option(names = "--all-nsid",
            description = "Live: also hear every namespace that has an nsid in this one "
                    + "(NETLINK_LISTEN_ALL_NSID; needs CAP_NET_BROADCAST). Namespaces without an "
                    + "nsid are not delivered by the kernel: see --assign-nsids.")
    boolean allNsid;

    @Option(names = "--assign-nsids",
            description = "Live: first give every namespace under /run/netns an nsid "
                    + "(as `ip netns set NAME auto`), so --all-nsid hears them.")
    boolean assignNsids;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Live: listen inside a network namespace: a name under /run/netns, a "
                    + "path, or a pid (its /proc/PID/ns/net), like `ip -n NAME monitor`.")
    String netns;

    @Option(names = "--dump",
            description = "Live: first emit the current links, addresses, routes and nsids "
                    + "(kind `dump`; per namespace with --all-nsid), then the stream, without a gap.")
    boolean dump;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE",
            description = "Live: also record what the socket receives as an nlmon capture "
                    + "(pcap; pcapng with each datagram's nsid when --all-nsid or FILE ends in .pcapng).")
    Path writeFile;

    @Option(names = "--rcvbuf", paramLabel = "BYTES",
            description = "Live: socket receive buffer (SO_RCVBUFFORCE when permitted, else SO_RCVBUF "
                    + "up to net.core.rmem_max; default ${DEFAULT-VALUE}, 0 leaves the system's).")
    int rcvbuf = 32 << 20;

    @Option(names = "--queue", paramLabel = "FRAMES",
            description = "Live: datagrams that may wait between the socket reader and the output "
                    + "(default ${DEFAULT-VALUE}); beyond, they are dropped from the output (not from -w) "
                    + "and counted in-band as a `dropped` event.")
    int queue = 65_536;

    @Option(names = "--resync",
            description = "Live: after the kernel dropped messages (overrun), dump links, addresses "
                    + "and routes again (kind `dump`) so a consumer's state is right again.")
    boolean resync;

    @Option(names = "--tui",
            description = "Full-screen terminal UI (Lanterna): a live, filterable, inspectable "
                    + "event view, for -r FILE or live. Falls back to text when stdout is not a terminal.")
    boolean tui;

    @Option(names = "--no-names",
            description = "Live: do not dump the links at start (names then come from events only).")
    boolean noNames;

    @picocli.CommandLine.Mixin DecoderOptions decoderOptions = new DecoderOptions();


    private final PrintWriter err;
    private final OutputStream stdout;

    public Main(OutputStream stdout, PrintWriter err) {
        this.stdout = stdout;
        this.err = err;
    }

    PrintWriter err() {
        return err;
    }

    OutputStream stdout() {
        return stdout;
    }

    public static void main(String[] args) {
        // Two cores or more: the specs load on another thread from the start; while picocli
        // parses a command line, the decoding path also warms up there (measured: 30 ms less
        // for a short replay; without picocli, a plain replay, it gains nothing).
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        PrintWriter err = new StderrWriter(System.err);
        Main plain = plainReplay(args, out, err);
        if (Runtime.getRuntime().availableProcessors() > 1) {
            Decoding.prefetchBundled(plain != null ? null : d -> warmUp(d));
        }
        int code;
        try {
            code = run(args, out, err, plain);
        } catch (OutOfMemoryError e) {
            // Memory is bounded by design, but a JVM given too small a heap (-Xmx in
            // NLSNIFF_JAVA_OPTS, a small container) can still run out: say so in one line.
            err.println("nlsniff: out of memory: the Java heap is too small (see -Xmx in"
                    + " NLSNIFF_JAVA_OPTS)");
            code = 1;
        }
        err.flush();
        System.exit(code);
    }

    /**
     * Decodes a few real datagrams (one of each message type of the seed scenario, a resource)
     * to text and to JSON lines, and discards the output: loads and initialises the classes of
     * the decoding path and runs it once while the main thread still parses the command line.
     * Nothing here is shared with the real run but immutable tables; failures are ignored.
     *
     * @return the messages decoded (twice that many were rendered), or -1 if it failed
     */
    static int warmUp(SpecDecoder decoder) {
        int decoded = 0;
        try (InputStream in = Main.class.getResourceAsStream("warmup.hex")) {
            if (in == null) {
                return -1;
            }
            List<Frame> frames = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    frames.add(Frame.data(0, "warm-up", frames.size() + 1, 0, null,
                            java.nio.ByteOrder.LITTLE_ENDIAN, java.util.HexFormat.of().parseHex(line.strip())));
                }
            }
            for (boolean json : new boolean[] {true, false}) {
                Output out = Output.open(OutputStream.nullOutputStream(), decoder, json, false,
                        NamespaceNames.NONE, false);
                for (Frame f : frames) {
                    List<Message> ms = decoder.decode(f);
                    if (out.prepare != null) {
                        ms.forEach(out.prepare);
                    }
                    out.pipeline.accept(f, ms);
                    decoded += json ? ms.size() : 0;
                }
                out.finish();
            }
            return decoded;
        } catch (IOException | RuntimeException e) {
            return -1; // a warm-up only
        }
    }

    /** The subcommands; registered only when the command line may need them (see run). */
    static final List<Class<?>> SUBCOMMANDS =
            List.of(DecodeCommand.class, DecodersCommand.class, BenchCommand.class);

    /** Runs the command with the given streams; returns the exit code. */
    public static int run(String[] args, OutputStream out, PrintWriter err) {
        return run(args, out, err, plainReplay(args, out, err));
    }

    /** As {@link #run(String[], OutputStream, PrintWriter)}, with {@link #plainReplay}'s answer. */
    private static int run(String[] args, OutputStream out, PrintWriter err, Main replay) {
        if (replay != null) {
            try {
                return replay.call();
            } catch (RuntimeException e) {
                err.println("nlsniff: " + e); // as the execution handler below
                return 1;
            }
        }
        // picocli reads every command's annotations up front, some 30-60 ms for the three
        // subcommands: the main command alone first, and the whole tree when these arguments are not the main
        // command's alone (a subcommand, a mistake to explain, --help that lists them all).
        CommandLine cl = commandLine(out, err, false);
        boolean mainOnly;
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(args);
            mainOnly = !parsed.isUsageHelpRequested();
        } catch (CommandLine.ParameterException e) {
            mainOnly = false;
        }
        if (!mainOnly) {
            cl = commandLine(out, err, true);
        }
        return cl.execute(args);
    }

    /**
     * The command line of a plain replay ({@code -r FILE} with {@code --json}, {@code -t},
     * {@code -c N}, each at most once, in the forms the help shows), parsed without picocli,
     * whose start-up is a third of a short replay's; null for anything else, which picocli
     * parses (and explains). StartUpTest checks that both parse these lines alike.
     */
    static Main plainReplay(String[] args, OutputStream out, PrintWriter err) {
        Main m = new Main(out, err);
        Set<String> seen = new java.util.HashSet<>();
        for (String a : args) {
            if (a.startsWith("@")) {
                return null; // an argument file: picocli expands @FILE, even as a value
            }
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            if (eq > 0 && a.startsWith("--")) {
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "-r", "--read", "-c", "--count" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            return null;
                        }
                        value = args[++i];
                    }
                }
                case "--json", "-t", "--timestamps" -> {
                    if (value != null) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
            String option = switch (name) {
                case "-r", "--read" -> "--read";
                case "-c", "--count" -> "--count";
                case "-t", "--timestamps" -> "--timestamps";
                default -> name;
            };
            if (!seen.add(option)) {
                return null; // picocli says it may be given once
            }
            switch (option) {
                case "--read" -> {
                    if (value.isEmpty() || value.startsWith("-") && !value.equals("-")
                            || value.indexOf('\0') >= 0) {
                        return null;
                    }
                    try {
                        m.readFile = Path.of(value);
                    } catch (java.nio.file.InvalidPathException e) {
                        return null; // picocli explains it (a name this locale cannot map)
                    }
                }
                case "--count" -> {
                    if (!value.matches("[0-9]{1,18}")) {
                        return null;
                    }
                    m.count = Long.parseLong(value);
                }
                case "--json" -> m.json = true;
                default -> m.timestamps = true;
            }
        }
        return m.readFile != null ? m : null;
    }

    private static CommandLine commandLine(OutputStream out, PrintWriter err, boolean withSubcommands) {
        CommandLine cl = new CommandLine(new Main(out, err));
        if (withSubcommands) {
            for (Class<?> c : SUBCOMMANDS) {
                cl.addSubcommand(c);
            }
        }
        cl.setErr(err);
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        // One line for a usage mistake, as for every other error; --help has the rest.
        cl.setParameterExceptionHandler((ex, args1) -> {
            // The help of the command that was mistaken: `nlsniff decode --help` for decode's.
            err.println("nlsniff: " + ex.getMessage() + " (see "
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            err.println("nlsniff: " + ex);
            return 1;
        });
        return cl;
    }

    @Override
    public Integer call() {
        if (readFile != null && readFile.toString().equals("-")) {
            readFile = Path.of("/dev/stdin"); // as tcpdump -r -
        }
        SpecDecoder decoder = decoder(decoderOptions.decoderDirs, decoderOptions.plugins, err);
        if (decoder == null) {
            return 2;
        }
        String usage = usageProblem();
        if (usage != null) {
            err.println("nlsniff: " + usage + " (see nlsniff --help)");
            return 2;
        }
        if (tui) {
            if (System.console() != null) {
                try {
                    return readFile != null ? TuiRunner.replay(readFile, decoder, err)
                            : TuiRunner.live(liveOptions(decoder), decoder, err);
                } catch (IllegalArgumentException e) {
                    err.println("nlsniff: " + e.getMessage());
                    return 2;
                }
            }
            err.println("nlsniff: --tui needs a terminal, and stdout is not one: writing "
                    + (json ? "JSON lines" : "text") + " instead");
        }
        if (readFile == null) {
            return live(decoder);
        }
        CaptureFileSource src;
        try {
            src = CaptureFileSource.open(readFile);
        } catch (IOException e) {
            err.println("nlsniff: " + (e instanceof CaptureException ? "" : readFile + ": ")
                    + e.getMessage());
            return 2;
        }
        // Namespace names are not in a capture; pcapng says which namespace sent what.
        Output out = Output.open(stdout, decoder, json, timestamps, NamespaceNames.NONE,
                src.carriesNamespaces());
        // Progress on stderr only when a person watches it (tcpdump -r prints nothing either).
        Progress progress = Terminals.isTerminal(2) ? new Progress(err, src) : null;
        try {
            int code = drain(src, out, count, err, progress);
            if (progress != null) {
                progress.done();
            }
            if (code == 0 && src.foreignPackets() > 0 && !out.pipeline.full()) {
                // Said once at the end, after what was decoded (nothing of them was netlink);
                // not when -c N stopped it: the reader may have gone past the N-th event; not
                // after damage, whose one line says why reading stopped.
                err.println("nlsniff: " + src.name() + ": " + src.foreignPackets() + " packet"
                        + (src.foreignPackets() == 1 ? "" : "s")
                        + " of non-netlink interfaces skipped (" + src.foreignLinkTypes() + ")");
            }
            return code;
        } finally {
            if (progress != null) {
                progress.done();
            }
            out.close();
            try {
                src.close();
            } catch (IOException e) {
                // closing a file we only read
            }
        }
    }

    /** The decoder chain, or null after printing why it cannot be built. */
    static SpecDecoder decoder(List<Path> dirs, List<Path> plugins, PrintWriter err) {
        try {
            return Decoding.chainPrefetched(dirs, plugins).decoder();
        } catch (SpecException e) {
            err.println("nlsniff: " + Decoding.describe(e));
            return null;
        }
    }

    /** stdout as text or JSON lines, behind one pipeline. */
    static final class Output {
        final Pipeline pipeline;
        /** What a decoding thread may do ahead for this output (render JSON), or null. */
        final java.util.function.Consumer<Message> prepare;
        private final OutputStream buffered;

        private Output(Pipeline pipeline, OutputStream buffered,
                java.util.function.Consumer<Message> prepare) {
            this.pipeline = pipeline;
            this.buffered = buffered;
            this.prepare = prepare;
        }

        static Output open(OutputStream stdout, SpecDecoder decoder, boolean json, boolean ts,
                NamespaceNames names, boolean joinMoves) {
            // The JSON writer buffers 64 KiB itself: a second buffer would only copy it again.
            OutputStream buffered = json ? stdout : new BufferedOutputStream(stdout, 1 << 16);
            EventSink sink = json ? new JsonLinesSink(buffered, decoder.spec())
                    : new TextSink(new OutputStreamWriter(buffered, StandardCharsets.UTF_8), ts);
            return new Output(new Pipeline(decoder, List.of(sink), names, joinMoves), buffered,
                    json ? JsonLinesSink::prerender : null);
        }

        /** Ends the stream and pushes everything to stdout: a closed stdout shows here. */
        void finish() throws IOException {
            pipeline.finish();
            buffered.flush();
        }

        void flush() throws IOException {
            pipeline.flush();
            buffered.flush();
        }

        void close() {
            try {
                pipeline.flush();
                buffered.flush();
            } catch (IOException e) {
                // stdout closed (a pipe whose reader went away): nothing left to tell anyone.
            }
        }
    }

    /** Decodes every frame of a finite source; exit code 0, or 2 at damage, 1 if output fails. */
    /** What is wrong with the options taken together, or null. */
    private String usageProblem() {
        if (count < -1 || (count == -1 && matched("--count"))) {
            return "-c: N must be 0 or more, not " + count;
        }
        if (queue < 1) {
            return "--queue: FRAMES must be at least 1, not " + queue;
        }
        if (rcvbuf < 0) {
            return "--rcvbuf: BYTES must be 0 (the system's) or more, not " + rcvbuf;
        }
        if (readFile != null) {
            if (writeFile != null) {
                return "-w records live traffic; to keep a capture you read, copy the file";
            }
            for (String o : LIVE_ONLY) {
                if (matched(o)) {
                    return o + " is for live listening, not for reading a capture (-r)";
                }
            }
        }
        return null;
    }

    private boolean matched(String option) {
        if (commandSpec == null) {
            return false;
        }
        var parsed = commandSpec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    static int drain(FrameSource src, Output out, long count, PrintWriter err) {
        return drain(src, out, count, err, null);
    }

    static int drain(FrameSource src, Output out, long count, PrintWriter err,
            Progress progress) {
        Pipeline pipeline = out.pipeline;
        // The other cores read, decode and render ahead while this one enriches and writes; on
        // a single core, all of it inline (measured: even 89 messages go faster ahead).
        DecodeAhead ahead = Runtime.getRuntime().availableProcessors() > 1
                ? new DecodeAhead(src, pipeline.decoder(), DecodeAhead.defaultWorkers(2),
                        out.prepare) : null;
        try {
            long frames = 0;
            pipeline.limit(count); // exactly N, even when a datagram holds more
            while (!pipeline.full()) {
                Frame f;
                List<Message> decoded = null;
                try {
                    if (ahead != null) {
                        DecodeAhead.Item it = ahead.next();
                        f = it == null ? null : it.frame();
                        decoded = it == null ? null : it.messages();
                    } else {
                        f = src.next();
                    }
                } catch (IOException e) {
                    // Every complete frame before the damage has been decoded and written.
                    finishQuietly(pipeline);
                    if (progress != null) {
                        progress.done(); // the message on a line of its own
                    }
                    err.println("nlsniff: " + e.getMessage());
                    return 2;
                }
                if (f == null) {
                    try {
                        out.finish();
                    } catch (IOException e) {
                        return outputFailed(e, err, progress);
                    }
                    return 0;
                }
                try {
                    if (decoded != null) {
                        pipeline.accept(f, decoded);
                    } else {
                        pipeline.accept(f);
                    }
                } catch (IOException e) {
                    return outputFailed(e, err, progress);
                }
                if (progress != null) {
                    progress.frame(++frames);
                }
            }
            try {
                out.flush(); // -c N reached
            } catch (IOException e) {
                return outputFailed(e, err, progress);
            }
            return 0;
        } finally {
            if (ahead != null) {
                ahead.close();
            }
        }
    }

    /** stdout went away: quiet for a closed pipe ({@code | head}), a message otherwise. */
    private static int outputFailed(IOException e, PrintWriter err, Progress progress) {
        if (!String.valueOf(e.getMessage()).contains("Broken pipe")) {
            if (progress != null) {
                progress.done();
            }
            err.println("nlsniff: output: " + e.getMessage());
        }
        return 1;
    }

    private static void finishQuietly(Pipeline p) {
        try {
            p.finish();
        } catch (IOException ignored) {
            // reported by the caller's message already
        }
    }

    /**
     * The live options from the command line; IllegalArgumentException for bad ones,
     * UncheckedIOException when the -w file cannot be created.
     */
    private LiveCapture.Options liveOptions(SpecDecoder decoder) {
        Set<Integer> numbers = groupNumbers(decoder.spec(), groups);
        Path nsFile = netns == null ? null : namespaceFile(netns);
        Recorder recorder = null;
        if (writeFile != null && writeFile.toString().isEmpty()) {
            throw new IllegalArgumentException("-w needs a file name (it was given an empty one)");
        }
        if (writeFile != null) {
            // pcapng keeps each datagram's namespace; classic pcap cannot.
            boolean ng = allNsid || writeFile.toString().endsWith(".pcapng");
            try {
                recorder = new Recorder(CaptureWriter.create(writeFile, ng));
            } catch (IOException e) {
                throw new IllegalArgumentException("-w " + writeFile + ": cannot create: " + e.getMessage());
            }
        }
        return new LiveCapture.Options(numbers, String.join(",", groups), !noNames, count, allNsid,
                nsFile, netns == null ? null : netnsName(netns), assignNsids, dump, rcvbuf,
                recorder, resync, queue);
    }

    private int live(SpecDecoder decoder) {
        LiveCapture.Options options;
        try {
            options = liveOptions(decoder);
        } catch (IllegalArgumentException e) {
            err.println("nlsniff: " + e.getMessage());
            return 2;
        }
        Output[] out = new Output[1];
        try {
            return new LiveCapture(options, decoder, err).run((names, join) -> {
                out[0] = Output.open(stdout, decoder, json, timestamps, names, join);
                return out[0].pipeline;
            });
        } catch (IOException e) {
            err.println("nlsniff: " + e.getMessage());
            return 1;
        } finally {
            if (out[0] != null) {
                out[0].close();
            }
        }
    }

    /** {@code --netns}: a name under /run/netns, a path, or a pid. */
    static Path namespaceFile(String spec) {
        boolean pid = spec.matches("\\d+");
        Path p = pid ? Path.of("/proc", spec, "ns", "net")
                : spec.contains("/") ? Path.of(spec) : Path.of("/run/netns", spec);
        if (!java.nio.file.Files.exists(p)) {
            throw new IllegalArgumentException("--netns " + spec + ": " + p + " does not exist"
                    + (pid || spec.contains("/") ? "" : " (see `ip netns list`)"));
        }
        return p;
    }

    private static String netnsName(String spec) {
        return spec.matches("\\d+") ? "pid " + spec : Path.of(spec).getFileName().toString();
    }

    /**
     * CLI group words → RTNLGRP numbers: a word is a family's {@code x-object} and stands for
     * every multicast group that family's spec lists ({@code addr} = IPv4 + IPv6 ifaddr).
     */
    static Set<Integer> groupNumbers(Spec spec, List<String> words) {
        Set<Integer> out = new LinkedHashSet<>();
        Map<String, Family> byObject = new java.util.TreeMap<>();
        for (Family f : spec.families().values()) {
            if (f.protonum != null && f.protonum == 0 && !f.object.isEmpty() && !f.groups.isEmpty()) {
                byObject.put(f.object, f);
            }
        }
        for (String w : words) {
            String word = w.trim().toLowerCase(java.util.Locale.ROOT);
            if (word.equals("all")) {
                byObject.values().forEach(f -> out.addAll(f.groups.values()));
                continue;
            }
            Family f = byObject.get(word);
            if (f == null) {
                throw new IllegalArgumentException("unknown group `" + w + "`; known: all, "
                        + String.join(", ", byObject.keySet()));
            }
            out.addAll(f.groups.values());
        }
        return out;
    }

    /** Version from the build (version.properties, filtered by Maven). */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"nlsniff " + p.getProperty("version", "unknown")};
        }
    }
}
