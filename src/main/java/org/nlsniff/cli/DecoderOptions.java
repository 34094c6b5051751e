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
}
