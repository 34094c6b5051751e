package org.nlsniff.app;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nlsniff.decode.Decoders;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.spec.Spec;
import org.nlsniff.spec.SpecException;
import org.nlsniff.spec.SpecLoader;

/**
 * Builds the decoder chain: Java providers first (ServiceLoader on the class path and in plugin
 * jars; their names are then checked by the specs), then the bundled YAML specs, then extra spec
 * directories (later ones override earlier families of the same name).
 */
public final class Decoding {
    private Decoding() {}

    /** The built chain and where its Java decoders came from. */
    public record Chain(SpecDecoder decoder, Map<String, String> javaOrigins) {}

    /** The bundled specs plus {@code extraDirs}, class-path providers only. */
    public static SpecDecoder build(List<Path> extraDirs) throws SpecException {
        return chain(extraDirs, List.of()).decoder();
    }

    /** The bundled specs plus {@code extraDirs}, and providers from {@code pluginJars} too. */
    public static Chain chain(List<Path> extraDirs, List<Path> pluginJars) throws SpecException {
        ClassLoader loader = Decoding.class.getClassLoader();
        if (!pluginJars.isEmpty()) {
            URL[] urls = new URL[pluginJars.size()];
            for (int i = 0; i < urls.length; i++) {
                Path jar = pluginJars.get(i);
                if (!Files.isRegularFile(jar)) {
                    throw new SpecException("--plugin " + jar + ": no such jar");
                }
                try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
                    if (z.getEntry("META-INF/services/org.nlsniff.decode.DecoderProvider") == null) {
                        throw new SpecException("--plugin " + jar + ": the jar names no decoder "
                                + "provider (META-INF/services/org.nlsniff.decode.DecoderProvider)");
                    }
                } catch (java.io.IOException e) {
                    throw new SpecException("--plugin " + jar + ": not a jar (" + e.getMessage() + ")");
                }
                try {
                    urls[i] = jar.toUri().toURL();
                } catch (MalformedURLException e) {
                    throw new SpecException(jar + ": " + e.getMessage());
                }
            }
            // Lives as long as the decoders it loaded, that is until the process ends.
            loader = new URLClassLoader("nlsniff-plugins", urls, loader);
        }
        Decoders decoders = Decoders.load(loader);
        SpecLoader specs = new SpecLoader(decoders.attributeNames()).addDefaults();
        for (Path d : extraDirs) {
            specs.addDirectory(d);
        }
        Spec spec = specs.build();
        return new Chain(new SpecDecoder(spec, decoders), decoders.origins());
    }


    /** The bundled chain being built ahead by {@link #prefetchBundled}, until taken. */
    private static volatile java.util.concurrent.FutureTask<Chain> prefetched;

    /**
     * Starts building the bundled chain (no extra directories, no plugins) on a thread of its
     * own, so that reading the specs overlaps parsing the command line: about 100 ms of a short
     * replay's start on two cores (measured before a plain replay bypassed picocli). {@link #chainPrefetched} takes it. Then, on the same
     * thread, {@code afterwards} gets the decoder (a warm-up), however the command goes on.
     */
    public static void prefetchBundled(java.util.function.Consumer<SpecDecoder> afterwards) {
        java.util.concurrent.FutureTask<Chain> task =
                new java.util.concurrent.FutureTask<>(() -> chain(List.of(), List.of()));
        Thread t = new Thread(() -> {
            task.run();
            if (afterwards != null) {
                try {
                    afterwards.accept(task.get().decoder());
                } catch (java.util.concurrent.ExecutionException e) {
                    // the caller builds it again and reports why
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "nlsniff-specs");
        t.setDaemon(true);
        prefetched = task;
        t.start();
    }

    /**
     * As {@link #chain}, but the prefetched bundled chain when one was started and nothing is
     * added to it. A prefetch that failed is built again here, so that its error is reported
     * the same way.
     */
    public static Chain chainPrefetched(List<Path> extraDirs, List<Path> pluginJars)
            throws SpecException {
        java.util.concurrent.FutureTask<Chain> task = prefetched;
        prefetched = null;
        if (task != null && extraDirs.isEmpty() && pluginJars.isEmpty()) {
            try {
                return task.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // fall through: build here, and report the error as usual
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return chain(extraDirs, pluginJars);
    }

    /** One line for a failed build: plugin problems as they are, spec problems so marked. */
    public static String describe(SpecException e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith("--plugin ") ? m : "decoder specs: " + m;
    }
}
