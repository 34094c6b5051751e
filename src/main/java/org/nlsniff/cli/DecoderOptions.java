package org.nlsniff.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that shape the decoder chain, shared by the commands (a picocli mixin). */
public final class DecoderOptions {
    @Option(names = "--decoders", paramLabel = "DIR",
            description = "Add or override decoder specs (*.yaml) from DIR; repeatable.")
    List<Path> decoderDirs = new ArrayList<>();

    @Option(names = "--plugin", paramLabel = "JAR",
            description = "Load Java decoder providers (DecoderProvider) from JAR; repeatable.")
    List<Path> plugins = new ArrayList<>();

    /**
     * These options after the main command's: {@code nlsniff --decoders D decode ...} gives D to
     * the main command, where a subcommand never looked (D was silently ignored).
     */
    DecoderOptions after(DecoderOptions main) {
        DecoderOptions all = new DecoderOptions();
        if (main != null) {
            all.decoderDirs.addAll(main.decoderDirs);
            all.plugins.addAll(main.plugins);
        }
        all.decoderDirs.addAll(decoderDirs);
        all.plugins.addAll(plugins);
        return all;
    }
}
