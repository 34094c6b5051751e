package org.nlsniff.bench;

/** The python3 program that times pyroute2's rtnetlink parser over the first frames of a pcap. */
final class Pyroute2Script {
    private Pyroute2Script() {}

    /** Python that imports the parser; exit 0 means pyroute2 is usable by that interpreter. */
    static final String PROBE = "from pyroute2.netlink.rtnl.marshal import MarshalRtnl; MarshalRtnl()";

    /**
     * argv: pcap path, frame count, timed runs. Reads the datagrams first (not timed), parses them
     * once to warm up, then times {@code MarshalRtnl().parse(datagram)} over all of them per run;
     * prints one JSON object: messages, best seconds, every run's seconds, pyroute2 version.
     */
    static final String SOURCE = """
            import json, struct, sys, time
            from pyroute2.netlink.rtnl.marshal import MarshalRtnl

            path, frames, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            datagrams = []
            with open(path, 'rb') as f:
                header = f.read(24)
                order = '<' if header[:4] == b'\\xd4\\xc3\\xb2\\xa1' else '>'
                while len(datagrams) < frames:
                    rec = f.read(16)
                    if len(rec) < 16:
                        break
                    caplen = struct.unpack(order + 'IIII', rec)[2]
                    packet = f.read(caplen)
                    datagrams.append(packet[16:])

            marshal = MarshalRtnl()

            def once():
                n = 0
                for d in datagrams:
                    n += len(marshal.parse(d))
                return n

            messages = once()  # warm-up
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                n = once()
                times.append(time.perf_counter() - t0)
                if n != messages:
                    raise SystemExit('message count changed: %d != %d' % (n, messages))
            try:
                from importlib.metadata import version
                v = version('pyroute2')
            except Exception:
                import pyroute2
                v = getattr(pyroute2, '__version__', 'unknown')
            print(json.dumps({'frames': len(datagrams), 'messages': messages,
                              'seconds': min(times), 'runs': times, 'version': v,
                              'python': sys.version.split()[0]}))
            """;
}
