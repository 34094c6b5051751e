package org.nlsniff.source.linux;

import java.io.IOException;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.TypeAlias;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * Lazily loaded libc binding plus the Linux constants and C struct layouts used by
 * {@link NetlinkSocket}. Layouts are computed from the runtime's pointer and {@code size_t} sizes,
 * so they hold for LP64 (x86_64, aarch64) and ILP32 glibc targets alike.
 */
final class Native {

    /**
     * The few libc entry points the netlink socket needs, bound with jnr-ffi. Every function saves
     * {@code errno}; read it with {@link Native#errno()} straight after a failed call, on the same
     * thread.
     *
     * <p>Declared {@code public} only because jnr-ffi defines its generated implementation in its
     * own class loader, and the JVM lets that class implement only a public interface. It is
     * nested in the package-private {@link Native}, so code outside this package cannot name it
     * and no jnr type leaves the package.
     */
    public interface LibC {

        @SaveError
        int socket(int domain, int type, int protocol);

        @SaveError
        int bind(int fd, Pointer addr, int addrlen);

        @SaveError
        int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

        @SaveError
        int getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen);

        @SaveError
        int getsockname(int fd, Pointer addr, Pointer addrlen);

        @SaveError
        @ssize_t
        long recvmsg(int fd, Pointer msghdr, int flags);

        @SaveError
        @ssize_t
        long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, int addrlen);

        @SaveError
        int close(int fd);

        @SaveError
        int setns(int fd, int nstype);

        /** {@code open(2)} without a mode: only for flags without O_CREAT/O_TMPFILE. */
        @SaveError
        int open(String path, int flags);

        int isatty(int fd);

        @SaveError
        int poll(Pointer fds, @size_t long nfds, int timeoutMillis);

        @SaveError
        int eventfd(int initval, int flags);

        @SaveError
        @ssize_t
        long write(int fd, Pointer buf, @size_t long count);
    }

    // --- constants (Linux; identical on x86_64 and aarch64, asm-generic) ---
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;

    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_ADD_MEMBERSHIP = 1;
    static final int NETLINK_DROP_MEMBERSHIP = 2;
    static final int NETLINK_LISTEN_ALL_NSID = 8;
    static final int NETLINK_EXT_ACK = 11;

    static final int MSG_PEEK = 0x2;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;

    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    static final int SOCKADDR_NL_SIZE = 12;
    static final int POLLFD_SIZE = 8;

    static final int EINTR = Errno.EINTR.intValue();
    static final int EAGAIN = Errno.EAGAIN.intValue();
    static final int EPERM = Errno.EPERM.intValue();
    static final int ENOBUFS = Errno.ENOBUFS.intValue();
    static final int EINVAL = Errno.EINVAL.intValue();
    static final int ENOENT = Errno.ENOENT.intValue();

    final LibC libc;
    final Runtime runtime;

    /** sizeof(void *) and sizeof(size_t). */
    final int ptrSize;
    final int sizeTSize;

    // struct iovec
    final int iovBaseOff;
    final int iovLenOff;
    final int iovSize;

    // struct msghdr
    final int msgNameOff;
    final int msgNameLenOff;
    final int msgIovOff;
    final int msgIovLenOff;
    final int msgControlOff;
    final int msgControlLenOff;
    final int msgFlagsOff;
    final int msgSize;

    // struct cmsghdr
    final int cmsgLenOff;
    final int cmsgLevelOff;
    final int cmsgTypeOff;
    /** CMSG_ALIGN(sizeof(struct cmsghdr)): offset of CMSG_DATA from the header. */
    final int cmsgHdrSpace;

    private static volatile Native instance;
    private static Throwable loadFailure;

    /** The binding, loaded on first use; failures are reported as IOException every time. */
    static Native get() throws IOException {
        Native n = instance;
        if (n != null) {
            return n;
        }
        synchronized (Native.class) {
            if (instance == null && loadFailure == null) {
                try {
                    instance = new Native();
                } catch (Throwable t) { // UnsatisfiedLinkError, LinkageError, ...
                    loadFailure = t;
                }
            }
            if (instance == null) {
                throw new IOException("cannot bind libc with jnr-ffi: " + loadFailure, loadFailure);
            }
            return instance;
        }
    }

    private Native() {
        libc = LibraryLoader.create(LibC.class).load("c");
        runtime = Runtime.getRuntime(libc);
        ptrSize = runtime.addressSize();
        sizeTSize = runtime.findType(TypeAlias.size_t).size();

        iovBaseOff = 0;
        iovLenOff = align(ptrSize, sizeTSize);
        iovSize = align(iovLenOff + sizeTSize, Math.max(ptrSize, sizeTSize));

        int off = 0;
        msgNameOff = off;
        off += ptrSize;
        msgNameLenOff = off; // socklen_t, 4 bytes
        off += 4;
        off = align(off, ptrSize);
        msgIovOff = off;
        off += ptrSize;
        off = align(off, sizeTSize);
        msgIovLenOff = off;
        off += sizeTSize;
        off = align(off, ptrSize);
        msgControlOff = off;
        off += ptrSize;
        off = align(off, sizeTSize);
        msgControlLenOff = off;
        off += sizeTSize;
        off = align(off, 4);
        msgFlagsOff = off;
        off += 4;
        msgSize = align(off, Math.max(ptrSize, sizeTSize));

        cmsgLenOff = 0;
        cmsgLevelOff = sizeTSize;
        cmsgTypeOff = sizeTSize + 4;
        cmsgHdrSpace = cmsgAlign(sizeTSize + 8);
    }

    static int align(int value, int to) {
        return (value + to - 1) & -to;
    }

    /** CMSG_ALIGN: glibc aligns control messages to sizeof(size_t). */
    int cmsgAlign(int len) {
        return align(len, sizeTSize);
    }

    /** CMSG_SPACE(len). */
    int cmsgSpace(int len) {
        return cmsgHdrSpace + cmsgAlign(len);
    }

    /** errno saved by the last libc call on this thread. */
    int errno() {
        return runtime.getLastError();
    }

    Pointer allocate(int bytes) {
        return Memory.allocateDirect(runtime, bytes, true);
    }

    void putSizeT(Pointer p, long offset, long value) {
        if (sizeTSize == 8) {
            p.putLongLong(offset, value);
        } else {
            p.putInt(offset, (int) value);
        }
    }

    long getSizeT(Pointer p, long offset) {
        return sizeTSize == 8 ? p.getLongLong(offset) : (p.getInt(offset) & 0xffffffffL);
    }

    void putPointer(Pointer p, long offset, Pointer value) {
        p.putAddress(offset, value == null ? 0L : value.address());
    }

    /** A native int holder, e.g. for setsockopt values and getsockopt lengths. */
    Pointer intValue(int value) {
        Pointer p = allocate(4);
        p.putInt(0, value);
        return p;
    }
}
