package org.nlsniff.decode;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.nlsniff.spec.SpecException;

/**
 * The Java side of the decoder chain: attribute and message decoders registered by
 * {@link DecoderProvider}s. Built once at start; read-only afterwards, so thread-safe.
 */
public final class Decoders {
    private final Map<String, AttributeDecoder> attributes = new HashMap<>();
    private final Map<String, String> attributeOrigin = new HashMap<>();
    private final Map<Long, MessageDecoder> messages = new HashMap<>();
    private final Map<Long, String> messageOrigin = new HashMap<>();

    /** Registers every provider found by ServiceLoader in {@code loader}. */
    public static Decoders load(ClassLoader loader) throws SpecException {
        Decoders d = new Decoders();
        try {
            for (DecoderProvider p : ServiceLoader.load(DecoderProvider.class, loader)) {
                d.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new SpecException("cannot load a decoder provider: " + e.getMessage());
        }
        return d;
    }

    /** Registers one provider's decoders; a name or key registered twice fails naming both. */
    public void add(DecoderProvider provider) throws SpecException {
        String origin = provider.getClass().getName();
        SpecException[] failure = new SpecException[1];
        provider.register(new DecoderProvider.Registrar() {
            @Override
            public void attribute(String name, AttributeDecoder decoder) {
                String prev = attributeOrigin.putIfAbsent(name, origin);
                if (prev != null && failure[0] == null) {
                    failure[0] = new SpecException("attribute decoder `" + name
                            + "` is registered twice: by " + prev + " and by " + origin);
                }
                attributes.putIfAbsent(name, decoder);
            }

            @Override
            public void message(int protocol, int type, MessageDecoder decoder) {
                long key = key(protocol, type);
                String prev = messageOrigin.putIfAbsent(key, origin);
                if (prev != null && failure[0] == null) {
                    failure[0] = new SpecException("message decoder for protocol " + protocol
                            + " type " + type + " is registered twice: by " + prev + " and by "
                            + origin);
                }
                messages.putIfAbsent(key, decoder);
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static long key(int protocol, int type) {
        return ((long) protocol << 32) | (type & 0xffffffffL);
    }

    /** Names usable as {@code x-decoder} in specs. */
    public Set<String> attributeNames() {
        return Set.copyOf(attributes.keySet());
    }

    AttributeDecoder attribute(String name) {
        return attributes.get(name);
    }

    /** The decoder registered with type -1 for a protocol: for types no spec or decoder knows. */
    MessageDecoder fallback(int protocol) {
        return protocol < 0 ? null : messages.get(key(protocol, -1));
    }

    MessageDecoder message(int protocol, int type) {
        MessageDecoder d = messages.get(key(protocol, type));
        if (d == null && type < 16) {
            d = messages.get(key(-1, type));
        }
        return d;
    }

    /** Rows {@code x-decoder name → provider class}, for the {@code decoders} command. */
    public Map<String, String> origins() {
        Map<String, String> out = new java.util.TreeMap<>(attributeOrigin);
        messageOrigin.forEach((k, v) -> {
            long protocol = k >> 32;
            int type = (int) (k & 0xffffffffL);
            out.put((type < 0 ? "any message type no spec names" : "message type " + type) + " of "
                    + (protocol < 0 ? "every protocol" : "protocol " + protocol), v);
        });
        return out;
    }
}
