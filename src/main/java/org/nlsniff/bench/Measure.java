package org.nlsniff.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Timing helpers: child processes (wall clock, exit status, peak RSS) and output counting. */
final class Measure {
    private Measure() {}

    /** GNU time's verbose report, when installed (Debian package {@code time}). */
    static final Path GNU_TIME = Path.of("/usr/bin/time");
    private static final Pattern MAX_RSS =
            Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");

    /** One finished child process. */
    record Run(double seconds, int exit, long peakRssKb, String stderr, long outBytes,
            long outLines, long outLinesStartingWithBracket) {}

    /** An output stream that keeps nothing and counts bytes. */
    static final class CountingNull extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /** The first executable called {@code name} on PATH or in the given extra directories. */
    static Path which(String name, String... extraDirs) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of(extraDirs));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Runs {@code cmd} to completion: stdout to /dev/null (or, with {@code countOutput}, read and
     * counted), stdin from {@code stdin} when given. Peak RSS from GNU time when it is installed,
     * else from polling VmHWM (a lower bound).
     */
    static Run run(List<String> cmd, Path stdin, boolean countOutput, Path scratch)
            throws IOException, InterruptedException {
        boolean gnuTime = Files.isExecutable(GNU_TIME);
        List<String> full = new ArrayList<>();
        if (gnuTime) {
            full.add(GNU_TIME.toString());
            full.add("-v");
        }
        full.addAll(cmd);
        Path errFile = Files.createTempFile(scratch, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectError(errFile.toFile())
                .redirectOutput(countOutput ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.DISCARD)
                .redirectInput(stdin != null ? ProcessBuilder.Redirect.from(stdin.toFile())
                        : ProcessBuilder.Redirect.from(new File("/dev/null")));
        long[] counts = new long[3];
        long start = System.nanoTime();
        Process p = pb.start();
        Thread reader = null;
        if (countOutput) {
            reader = new Thread(() -> count(p.getInputStream(), counts), "bench-stdout");
            reader.start();
        }
        long hwmKb = 0;
        while (!p.waitFor(gnuTime ? 1000 : 20, TimeUnit.MILLISECONDS)) {
            if (!gnuTime) {
                hwmKb = Math.max(hwmKb, vmHwmKb(p.pid()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (reader != null) {
            reader.join();
        }
        String err = Files.readString(errFile, StandardCharsets.UTF_8);
        Files.deleteIfExists(errFile);
        long rss = hwmKb;
        if (gnuTime) {
            Matcher m = MAX_RSS.matcher(err);
            while (m.find()) {
                rss = Long.parseLong(m.group(1));
            }
            int cut = err.indexOf("\tCommand being timed:");
            err = cut >= 0 ? err.substring(0, cut) : err;
            err = err.replaceAll("(?m)^Command exited with non-zero status \\d+\\n?", "");
        }
        return new Run(seconds, p.exitValue(), rss, err.strip(), counts[0], counts[1], counts[2]);
    }

    private static void count(InputStream in, long[] counts) {
        byte[] buf = new byte[1 << 16];
        boolean lineStart = true;
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                counts[0] += n;
                for (int i = 0; i < n; i++) {
                    if (lineStart && buf[i] == '[') {
                        counts[2]++;
                    }
                    lineStart = buf[i] == '\n';
                    if (lineStart) {
                        counts[1]++;
                    }
                }
            }
        } catch (IOException e) {
            // the child went away: what was counted stands
        }
    }

    private static long vmHwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone already
        }
        return 0;
    }

    /** Runs a short command and returns its first stdout line, or null when it fails. */
    static String firstLine(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return out.lines().filter(l -> !l.isBlank() && !l.startsWith("Running as user"))
                    .findFirst().orElse("").strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
