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


    /** One line for a failed build: plugin problems as they are, spec problems so marked. */
    public static String describe(SpecException e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith("--plugin ") ? m : "decoder specs: " + m;
    }
}
