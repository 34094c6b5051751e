package org.nlsniff.app;

import java.nio.file.Path;
import java.util.List;
import org.nlsniff.decode.Decoders;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.spec.Spec;
import org.nlsniff.spec.SpecException;
import org.nlsniff.spec.SpecLoader;

/** Builds the decoder chain: Java providers first (their names are checked by the specs). */
public final class Decoding {
    private Decoding() {}

    /** The bundled specs plus {@code extraDirs} (later ones override earlier families). */
    public static SpecDecoder build(List<Path> extraDirs) throws SpecException {
        Decoders decoders = Decoders.load(Decoding.class.getClassLoader());
        SpecLoader loader = new SpecLoader(decoders.attributeNames()).addDefaults();
        for (Path d : extraDirs) {
            loader.addDirectory(d);
        }
        Spec spec = loader.build();
        return new SpecDecoder(spec, decoders);
    }
}
