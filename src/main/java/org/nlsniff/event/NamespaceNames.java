package org.nlsniff.event;

/**
 * Names of network namespaces as the listener sees them: by nsid, and the listener's own (nsid
 * null). Null when unknown; events then carry the numbers only.
 */
@FunctionalInterface
public interface NamespaceNames {
    /** The name of the namespace with this nsid, or of the listener's own when nsid is null. */
    String name(Integer nsid);

    /** Called with each decoded message before the pipeline enriches it (live bookkeeping). */
    default void observe(org.nlsniff.decode.Message m) {}

    /** No names at all (replaying a capture: namespace names are not in it). */
    NamespaceNames NONE = nsid -> null;

    /** A human label: the name, else {@code nsid N}, else {@code current} for the own namespace. */
    default String label(Integer nsid) {
        String n = name(nsid);
        if (n != null) {
            return n;
        }
        return nsid == null ? "current" : "nsid " + nsid;
    }
}
