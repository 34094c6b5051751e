package org.nlsniff.decode;

/**
 * Service provider interface for Java decoders, found with {@link java.util.ServiceLoader} on
 * the class path (file {@code META-INF/services/org.nlsniff.decode.DecoderProvider}).
 *
 * <p>{@link #register} is called once at start; registering a name or message key that another
 * provider already registered fails start-up with both origins named.
 */
public interface DecoderProvider {

    /** Registers this provider's decoders. */
    void register(Registrar registrar);

    /** What a provider may register. */
    interface Registrar {
        /** An attribute decoder, referenced from YAML as {@code x-decoder: name}. */
        void attribute(String name, AttributeDecoder decoder);

        /**
         * A whole-message decoder for a netlink protocol and message type; protocol -1 means
         * every protocol (control messages below type 16); type -1 means every type of that
         * protocol that no spec operation or other decoder knows (dynamic generic netlink ids).
         */
        void message(int protocol, int type, MessageDecoder decoder);
    }
}
