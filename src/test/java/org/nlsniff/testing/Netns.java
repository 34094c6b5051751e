package org.nlsniff.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway network namespace for kernel tests, created with {@code ip netns add nltXXXXXX}
 * (so it is visible as {@code /run/netns/nltXXXXXX}) and deleted by {@link #close()}.
 *
 * <p>Rules for kernel tests on shared hosts: configure things only inside such namespaces
 * ({@link #ip} always runs {@code ip -n NAME ...}), use only 198.51.100.0/24, 203.0.113.0/24 and
 * 2001:db8::/32 addresses, and send no traffic.
 *
 * <p>Skip rule ({@link #assumeKernel()}): kernel tests need root, a Linux kernel and a working
 * {@code ip netns add}. When that is missing they are skipped with the reason, unless the
 * environment variable {@code NLSNIFF_KERNEL_TESTS} is {@code required}, in which case they fail.
 *
 * <pre>{@code
 * Netns.assumeKernel();
 * try (Netns ns = Netns.create()) {
 *     ns.ip("link", "add", Netns.ifname("nltv"), "type", "dummy");
 * }
 * }</pre>
 *
 * <p>Not thread-safe per instance; separate instances are independent.
 */
public final class Netns implements AutoCloseable {

    /** Environment variable: {@code required} turns missing prerequisites into failures. */
    public static final String ENV = "NLSNIFF_KERNEL_TESTS";

    private static final Pattern NAME = Pattern.compile("nlt[a-z0-9]{1,12}");
    private static final long COMMAND_TIMEOUT_SECONDS = 30;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object PROBE_LOCK = new Object();
    private static String probeResult; // "" = possible, else the reason
    private static boolean probed;

    private final String name;
    private boolean closed;

    private Netns(String name) {
        this.name = name;
    }

    // ---------------------------------------------------------------- skip / required rule

    /** True when kernel tests can run here: Linux, effective uid 0, and {@code ip netns} works. */
    public static boolean kernelTestsPossible() {
        return whyNot() == null;
    }

    /**
     * Why kernel tests cannot run here, or null if they can. The probe (creating and deleting one
     * namespace) runs once per JVM.
     */
    public static String whyNot() {
        synchronized (PROBE_LOCK) {
            if (!probed) {
                probeResult = probe();
                probed = true;
            }
            return probeResult.isEmpty() ? null : probeResult;
        }
    }

    /** True when {@code NLSNIFF_KERNEL_TESTS=required}. */
    public static boolean kernelTestsRequired() {
        return "required".equals(System.getenv(ENV));
    }

    /**
     * Skips the calling test (JUnit assumption) when kernel tests are impossible, or fails it when
     * {@code NLSNIFF_KERNEL_TESTS=required}. Returns normally when they can run.
     */
    public static void assumeKernel() {
        String why = whyNot();
        if (why == null) {
            return;
        }
        if (kernelTestsRequired()) {
            Assertions.fail(ENV + "=required but kernel tests cannot run: " + why);
        }
        Assumptions.assumeTrue(false, "kernel test skipped: " + why
                + " (needs root and `ip netns`; set " + ENV + "=required to fail instead)");
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "not Linux (" + System.getProperty("os.name") + ")";
        }
        Integer euid = effectiveUid();
        if (euid == null) {
            return "cannot read the effective uid from /proc/self/status";
        }
        if (euid != 0) {
            return "not running as root (euid " + euid + ")";
        }
        if (!Files.exists(Path.of("/proc/thread-self/ns/net"))) {
            return "/proc/thread-self/ns/net is missing";
        }
        try {
            run("ip", "-V");
        } catch (IOException | RuntimeException e) {
            return "the `ip` command (iproute2) is not usable: " + e.getMessage();
        }
        try (Netns probe = create()) {
            probe.ip("link", "show", "lo");
        } catch (IOException | RuntimeException e) {
            return "cannot create a network namespace: " + e.getMessage();
        }
        return "";
    }

    private static Integer effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return Integer.parseInt(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    // ---------------------------------------------------------------- names

    /** Six random lowercase hex digits. */
    public static String randomSuffix() {
        return String.format("%06x", RANDOM.nextInt(1 << 24));
    }

    /**
     * A random interface name: {@code prefix} (must start with {@code nlt}) plus
     * {@link #randomSuffix()}; at most 15 characters (IFNAMSIZ - 1).
     */
    public static String ifname(String prefix) {
        if (!prefix.startsWith("nlt")) {
            throw new IllegalArgumentException("test interface names start with nlt: " + prefix);
        }
        String n = prefix + randomSuffix();
        if (n.length() > 15) {
            throw new IllegalArgumentException("interface name too long: " + n);
        }
        return n;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Creates {@code nlt} + random suffix with {@code ip netns add}; the caller must close it. */
    public static Netns create() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            String n = "nlt" + randomSuffix();
            if (Files.exists(path(n))) {
                continue;
            }
            try {
                run("ip", "netns", "add", n);
                return new Netns(n);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no free namespace name after 3 attempts");
    }

    /** The namespace name, e.g. {@code nlt3fa9c1}. */
    public String name() {
        return name;
    }

    /** The namespace file {@code /run/netns/NAME}, for setns or {@code openInNamespace}. */
    public Path path() {
        return path(name);
    }

    private static Path path(String name) {
        return Path.of("/run/netns", name);
    }

    /** Deletes the namespace ({@code ip netns del}); idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        run("ip", "netns", "del", name);
    }

    @Override
    public String toString() {
        return "Netns[" + name + (closed ? ", deleted" : "") + "]";
    }

    // ---------------------------------------------------------------- commands

    /** Runs {@code ip -n NAME args...}; fails unless it exits 0; returns its stdout. */
    public String ip(String... args) throws IOException {
        checkOpen();
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, null);
    }

    /**
     * Runs {@code ip -n NAME -batch -} with {@code commands} (one ip command per line, without the
     * leading {@code ip}) on stdin; fails unless it exits 0; returns its stdout.
     */
    public String ipBatch(String commands) throws IOException {
        checkOpen();
        return run(List.of("ip", "-n", name, "-batch", "-"), commands);
    }

    /** Runs a command inside the namespace ({@code ip netns exec NAME cmd...}); checked; stdout. */
    public String exec(String... cmd) throws IOException {
        List<String> full = new ArrayList<>(execPrefix());
        full.addAll(Arrays.asList(cmd));
        return run(full, null);
    }

    /**
     * {@code [ip, netns, exec, NAME]}: prepend to a command to start it inside the namespace with
     * your own {@link ProcessBuilder} (for long-running processes).
     */
    public List<String> execPrefix() {
        checkOpen();
        return List.of("ip", "netns", "exec", name);
    }

    /** Runs a command; fails unless it exits 0 within 30 s; returns stdout. */
    public static String run(String... cmd) throws IOException {
        return run(Arrays.asList(cmd), null);
    }

    /**
     * Runs a command with optional stdin; fails unless it exits 0 within 30 s.
     *
     * @return stdout (UTF-8)
     * @throws IOException with the command, exit status and stderr when it fails
     */
    public static String run(List<String> cmd, String stdin) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectInput(
                stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                        : ProcessBuilder.Redirect.PIPE).start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        if (stdin != null) {
            try (OutputStream os = p.getOutputStream()) {
                os.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        boolean finished;
        try {
            finished = p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
        if (!finished) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": no exit within "
                    + COMMAND_TIMEOUT_SECONDS + " s");
        }
        String stdout = new String(out.join(), StandardCharsets.UTF_8);
        String stderr = new String(err.join(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue()
                    + (stderr.isEmpty() ? "" : ": " + stderr));
        }
        return stdout;
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                f.complete(b.toByteArray());
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        }, "netns-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is deleted");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalStateException("refusing to touch non-test namespace " + name);
        }
    }
}
