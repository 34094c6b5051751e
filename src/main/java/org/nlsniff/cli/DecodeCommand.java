package org.nlsniff.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.CaptureException;
import org.nlsniff.source.HexFixtureSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nlsniff decode}: decodes netlink messages given as hex (an argument, a file or stdin),
 * for example a buffer from {@code strace -X raw} or a hex dump with spaces and comments.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Decode netlink messages written as hex (strace -X raw, hex dumps).",
        description = {
            // One string per paragraph: picocli wraps it to the terminal's width.
            "Decode netlink messages written as hex: one message or a whole datagram, from the "
                    + "arguments, a file (-f) or stdin. Spaces, 0x prefixes, \\x escapes (strace -X "
                    + "raw), quotes and # comments are ignored; a blank line separates datagrams; "
                    + "lines `@protocol route|generic|N`, `@byte-order little|big`, `@nsid N` apply "
                    + "to what follows."
        },
        footer = {"", "Example:",
            "  nlsniff decode 1400000058000000000000000000000000000000"})
public final class DecodeCommand implements Callable<Integer> {
    @ParentCommand Main parent;

    @Parameters(paramLabel = "HEX", arity = "0..*", description = "Hex bytes (default: stdin).")
    List<String> hex = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the hex from FILE.")
    Path file;

    @Option(names = "--json", description = "Write JSON lines.")
    boolean json;

    @Option(names = {"-p", "--protocol"}, paramLabel = "PROTO",
            description = "Netlink protocol: route, generic or a number (default: route).")
    String protocol = "route";

    @Option(names = "--byte-order", paramLabel = "ORDER",
            description = "Byte order of the messages: little, big or native (default: native).")
    String byteOrder = "native";

    @picocli.CommandLine.Mixin DecoderOptions decoderOptions = new DecoderOptions();


    /** Hex text is for a few messages at a time; captures are read with -r. */
    static final int MAX_TEXT = 64 << 20;

    private static int tooLong(PrintWriter err, String what) {
        err.println("nlsniff: " + what + ": more than " + (MAX_TEXT >> 20)
                + " MiB of hex text; decode a capture with -r instead");
        return 2;
    }

    @Override
    public Integer call() {
        PrintWriter err = parent.err();
        String text;
        String name;
        try {
            if (file != null && file.toString().isEmpty()) {
                // Path.of("") is the working directory: "Is a directory" would say nothing.
                err.println("nlsniff: -f needs a file name (it was given an empty one)");
                return 2;
            }
            if (file != null) {
                if (Files.isRegularFile(file) && Files.size(file) > MAX_TEXT) {
                    return tooLong(err, file.toString());
                }
                // Read at most the limit and one byte more, whatever the file is: /dev/zero or a
                // pipe (/dev/stdin) has no size to check first.
                byte[] bytes;
                try (InputStream in = Files.newInputStream(file)) {
                    bytes = in.readNBytes(MAX_TEXT + 1);
                }
                if (bytes.length > MAX_TEXT) {
                    return tooLong(err, file.toString());
                }
                text = StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                name = file.getFileName() == null ? file.toString()
                        : file.getFileName().toString();
            } else if (!hex.isEmpty()) {
                text = String.join(" ", hex);
                name = "hex";
            } else {
                InputStream in = System.in;
                byte[] bytes = in.readNBytes(MAX_TEXT + 1);
                if (bytes.length > MAX_TEXT) {
                    return tooLong(err, "stdin");
                }
                text = new String(bytes, StandardCharsets.UTF_8);
                name = "stdin";
            }
            if (text.isBlank()) {
                err.println("nlsniff: " + (file != null ? file : hex.isEmpty() ? "stdin" : "hex")
                        + ": no hex to decode");
                return 2;
            }
        } catch (NoSuchFileException e) {
            err.println("nlsniff: " + file + ": no such file");
            return 2;
        } catch (java.nio.charset.CharacterCodingException e) {
            err.println("nlsniff: " + (file != null ? file : "stdin")
                    + ": not hex text (a binary capture? read it with -r)");
            return 2;
        } catch (IOException e) {
            err.println("nlsniff: " + (file != null ? file + ": " : "stdin: ") + e.getMessage());
            return 2;
        }
        ByteOrder order = switch (byteOrder) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            case "native" -> ByteOrder.nativeOrder();
            default -> null;
        };
        if (order == null) {
            err.println("nlsniff: --byte-order must be little, big or native");
            return 2;
        }
        int proto;
        try {
            proto = switch (protocol) {
                case "route" -> 0;
                case "generic" -> 16;
                default -> Integer.parseInt(protocol);
            };
            if (proto < 0 || proto > 31) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            err.println("nlsniff: --protocol must be route, generic or a number 0..31");
            return 2;
        }
        DecoderOptions options = decoderOptions.after(parent.decoderOptions);
        SpecDecoder decoder = Main.decoder(options.decoderDirs, options.plugins, err);
        if (decoder == null) {
            return 2;
        }
        HexFixtureSource src;
        try {
            src = new HexFixtureSource(text, name, proto, order);
        } catch (CaptureException e) {
            err.println("nlsniff: " + e.getMessage());
            return 2;
        }
        Main.Output out = Main.Output.open(parent.stdout(), decoder, json, false,
                org.nlsniff.event.NamespaceNames.NONE, false);
        try {
            return Main.drain(src, out, -1, err);
        } finally {
            out.close();
        }
    }
}
