package org.nlsniff.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nlsniff.app.Decoding;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.Event;
import org.nlsniff.spec.Family;
import org.nlsniff.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nlsniff decoders}: prints the resolved decoder table (which file or class decodes each
 * message type), or lints spec directories.
 */
@Command(name = "decoders", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print which spec or Java class decodes each message type; lint specs.",
        description = {
            // One string per paragraph: picocli wraps it to the terminal's width.
            "Print the resolved decoder table: protocol, message type, kernel constant, family "
                    + "and the file it comes from, then the Java decoders and their provider "
                    + "classes. With --lint DIR, load the bundled specs plus DIR and report the "
                    + "first problem (explicit values, duplicate numbers or names, undefined "
                    + "references, unregistered x-decoder names, a message type claimed twice); "
                    + "exit 2 if there is one."
        })
public final class DecodersCommand implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand Main parent;

    @Option(names = "--lint", paramLabel = "DIR", description = "Lint the specs in DIR.")
    List<Path> lint = new ArrayList<>();

    @picocli.CommandLine.Mixin DecoderOptions decoderOptions = new DecoderOptions();


    @Override
    public Integer call() {
        PrintWriter err = parent.err();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(parent.stdout(),
                StandardCharsets.UTF_8), true);
        DecoderOptions options = decoderOptions.after(parent.decoderOptions);
        List<Path> dirs = new ArrayList<>(options.decoderDirs);
        dirs.addAll(lint);
        Decoding.Chain chain;
        try {
            chain = Decoding.chainPrefetched(dirs, options.plugins);
        } catch (SpecException e) {
            err.println("nlsniff: " + Decoding.describe(e));
            return 2;
        }
        if (!lint.isEmpty()) {
            int families = 0;
            for (Family f : chain.decoder().spec().families().values()) {
                for (Path d : lint) {
                    if (f.origin.startsWith(d.toString())) {
                        families++;
                    }
                }
            }
            out.println(Event.printable("lint: ok (" + families + " families in " + lint + ")"));
            return 0;
        }
        SpecDecoder decoder = chain.decoder();
        out.println("proto  type  constant             family       origin");
        // Origins are paths, class names come from plugin jars: either may hold controls.
        decoder.spec().table().forEach(row -> out.println(Event.printable(row)));
        out.println();
        out.println("java decoders:");
        int width = 0;
        for (String k : chain.javaOrigins().keySet()) {
            width = Math.max(width, k.length());
        }
        for (Map.Entry<String, String> e : chain.javaOrigins().entrySet()) {
            out.println(Event.printable(
                    String.format("  %-" + width + "s  %s", e.getKey(), e.getValue())));
        }
        return 0;
    }
}
