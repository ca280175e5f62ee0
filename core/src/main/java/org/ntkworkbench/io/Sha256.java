package org.ntkworkbench.io;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One SHA-256 digest (the file hashes of run manifests), computed by OpenSSL's libcrypto ({@code libcrypto.so.3},
 * its EVP interface through the FFM API) where that library loads and passes a known-answer check, otherwise by the
 * JDK's {@link MessageDigest}: {@link #usesOpenSsl} is the one place that decides, and {@code -Dntk.sha256=jdk} forces
 * the JDK. Why native: the JDK's SHA-256 is as fast as OpenSSL's (both use the CPU's SHA instructions) only once C2
 * has compiled it, and a run hashes its big output once, mostly before that (the launcher raises {@code ntk kernel}'s
 * compile thresholds tenfold): 256 MB in a fresh JVM with those thresholds took 0.30-0.37 CPU s that way, against
 * 0.17-0.18 s for libcrypto from the first byte (as fast as {@code openssl speed}, 1.5 GB/s), plus 0.02-0.04 s to link
 * it. libcrypto also reads a mapped file region or a direct buffer in place, where
 * {@code MessageDigest.update(ByteBuffer)} copies native memory to the heap 4 KiB at a time.
 *
 * <p>Not thread-safe (one thread at a time, as {@code MessageDigest}); {@link #hex} ends the digest, {@link #close}
 * releases a digest that is not needed after all. Nothing is printed; a library that is missing or fails the check
 * is simply not used.
 */
public final class Sha256 implements AutoCloseable {
    /** The largest piece handed to one native call (the call is critical: garbage collection waits for it). */
    private static final int CHUNK = 1 << 20;
    /** Content from this size on is hashed by libcrypto even if it is not linked yet. */
    static final long NATIVE_FROM = 1 << 20;
    /** Set once libcrypto is linked and checked. */
    private static volatile boolean linked;

    private final MessageDigest jdk;
    private MemorySegment context;
    private boolean done;

    private Sha256(boolean openSsl) {
        if (openSsl) {
            jdk = null;
            context = OpenSsl.newContext();
        } else {
            try {
                jdk = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A new digest for about {@code bytes} bytes: by libcrypto where {@link #usesOpenSsl}, unless the content is small
     * (below {@value #NATIVE_FROM} bytes) and libcrypto is not linked yet: linking it costs about 40 ms of CPU, more
     * than the JDK takes for a small file, so a command that hashes only a manifest or a script never links it.
     */
    public static Sha256 create(long bytes) {
        return new Sha256((bytes >= NATIVE_FROM || linked) && usesOpenSsl());
    }

    /** The SHA-256 (hex) of a file's bytes, read through a direct buffer that libcrypto hashes in place. */
    public static String ofFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                Sha256 d = create(channel.size())) {
            d.update(channel, 0, Long.MAX_VALUE);
            return d.hex();
        }
    }

    /**
     * Adds a file's bytes {@code [from, to)}, or those up to its end if that comes first, read through a direct buffer
     * that libcrypto hashes in place; returns the position reached. Read, not mapped: a file that someone truncates
     * while it is hashed must not crash native code (a mapped page gone is SIGBUS), where a read just ends early.
     */
    public long update(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect((int) Math.max(1, Math.min(CHUNK, Math.min(to, channel.size()) - from)));
        long pos = from;
        while (pos < to) {
            int n = channel.read(b.clear().limit((int) Math.min(b.capacity(), to - pos)), pos);
            if (n < 0) {
                break;
            }
            pos += n;
            update(b.flip());
        }
        return pos;
    }

    /** A new digest by the JDK's {@link MessageDigest} (the fallback, also for comparing the two in tests). */
    static Sha256 createJdk() {
        return new Sha256(false);
    }

    /**
     * True when digests are computed by libcrypto: it loaded, its functions linked and it hashed a known answer right,
     * and {@code -Dntk.sha256=jdk} is not set. Decided once (the first call links the library, a few tens of ms).
     */
    public static boolean usesOpenSsl() {
        return !"jdk".equals(System.getProperty("ntk.sha256")) && OpenSsl.WORKS;
    }

    /** True when this digest is computed by libcrypto (false: by {@link MessageDigest}). */
    boolean openSsl() {
        return jdk == null;
    }

    /** Adds {@code bytes} (any segment: native, mapped or on the heap). */
    public Sha256 update(MemorySegment bytes) {
        check();
        if (jdk != null) {
            if (bytes.isNative()) {
                jdk.update(bytes.asByteBuffer());
            } else {
                jdk.update(bytes.toArray(JAVA_BYTE));
            }
            return this;
        }
        for (long off = 0, size = bytes.byteSize(); off < size; off += CHUNK) {
            long n = Math.min(CHUNK, size - off);
            OpenSsl.update(context, bytes.asSlice(off, n), n);
        }
        return this;
    }

    /** Adds {@code b}'s remaining bytes (heap or direct) and moves its position to its limit. */
    public Sha256 update(ByteBuffer b) {
        check();
        if (jdk != null) {
            jdk.update(b);
        } else {
            update(MemorySegment.ofBuffer(b));
            b.position(b.limit());
        }
        return this;
    }

    /** Adds {@code b[off, off + len)}. */
    public Sha256 update(byte[] b, int off, int len) {
        check();
        if (jdk != null) {
            jdk.update(b, off, len);
        } else {
            update(MemorySegment.ofArray(b).asSlice(off, len));
        }
        return this;
    }

    /** Ends the digest: its 32 bytes in lower-case hex. */
    public String hex() {
        check();
        done = true;
        if (jdk != null) {
            return HexFormat.of().formatHex(jdk.digest());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(32);
            OpenSsl.finish(context, out);
            return HexFormat.of().formatHex(out.toArray(JAVA_BYTE));
        } finally {
            release();
        }
    }

    /** Releases the native context of a digest that was not ended by {@link #hex} (a failed or abandoned write). */
    @Override
    public void close() {
        done = true;
        release();
    }

    private void release() {
        if (context != null) {
            OpenSsl.free(context);
            context = null;
        }
    }

    private void check() {
        if (done) {
            throw new IllegalStateException("digest already ended");
        }
    }

    /**
     * libcrypto's EVP digest functions, linked on first use (null handles, {@link #WORKS} false, where the library or
     * a function is missing, native access is denied or the known-answer check fails).
     */
    private static final class OpenSsl {
        private static final MethodHandle CTX_NEW;
        private static final MethodHandle CTX_FREE;
        private static final MethodHandle INIT;
        private static final MethodHandle UPDATE;
        private static final MethodHandle FINAL;
        private static final MemorySegment MD;
        static final boolean WORKS;

        static {
            MethodHandle ctxNew = null, ctxFree = null, init = null, update = null, fin = null;
            MemorySegment md = null;
            boolean works = false;
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
                Linker linker = Linker.nativeLinker();
                FunctionDescriptor pointer = FunctionDescriptor.of(ADDRESS);
                FunctionDescriptor threePointers = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
                MethodHandle sha = linker.downcallHandle(lib.findOrThrow("EVP_sha256"), pointer);
                ctxNew = linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_new"), pointer);
                ctxFree = linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS));
                init = linker.downcallHandle(lib.findOrThrow("EVP_DigestInit_ex"), threePointers);
                // critical with heap access: hashes heap arrays in place, and costs no thread-state change per call
                update = linker.downcallHandle(lib.findOrThrow("EVP_DigestUpdate"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), Linker.Option.critical(true));
                fin = linker.downcallHandle(lib.findOrThrow("EVP_DigestFinal_ex"), threePointers);
                md = (MemorySegment) sha.invokeExact();
                works = !md.equals(MemorySegment.NULL);
            } catch (Throwable e) {
                works = false; // no libcrypto.so.3 here (or no native access): MessageDigest does the work
            }
            CTX_NEW = ctxNew;
            CTX_FREE = ctxFree;
            INIT = init;
            UPDATE = update;
            FINAL = fin;
            MD = md;
            WORKS = works && knownAnswer();
            linked = WORKS;
        }

        /** FIPS 180-2's first example: SHA-256("abc"). */
        private static boolean knownAnswer() {
            MemorySegment c = null;
            try {
                c = newContext();
                byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
                update(c, MemorySegment.ofArray(abc), abc.length);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment out = arena.allocate(32);
                    finish(c, out);
                    return HexFormat.of().formatHex(out.toArray(JAVA_BYTE))
                            .equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
                }
            } catch (Throwable e) {
                return false;
            } finally {
                if (c != null) {
                    free(c);
                }
            }
        }

        /** {@code EVP_MD_CTX_new} and {@code EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)}. */
        static MemorySegment newContext() {
            MemorySegment c;
            try {
                c = (MemorySegment) CTX_NEW.invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException("EVP_MD_CTX_new failed", e);
            }
            if (c.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("EVP_MD_CTX_new failed (out of memory)");
            }
            int ok;
            try {
                ok = (int) INIT.invokeExact(c, MD, MemorySegment.NULL);
            } catch (Throwable e) {
                free(c);
                throw new IllegalStateException("EVP_DigestInit_ex failed", e);
            }
            if (ok != 1) {
                free(c);
                throw new IllegalStateException("EVP_DigestInit_ex failed");
            }
            return c;
        }

        static void update(MemorySegment c, MemorySegment bytes, long n) {
            int ok;
            try {
                ok = (int) UPDATE.invokeExact(c, bytes, n);
            } catch (Throwable e) {
                throw new IllegalStateException("EVP_DigestUpdate failed", e);
            }
            if (ok != 1) {
                throw new IllegalStateException("EVP_DigestUpdate failed");
            }
        }

        /** {@code EVP_DigestFinal_ex(ctx, out, NULL)}: the 32 bytes into {@code out}. */
        static void finish(MemorySegment c, MemorySegment out) {
            int ok;
            try {
                ok = (int) FINAL.invokeExact(c, out, MemorySegment.NULL);
            } catch (Throwable e) {
                throw new IllegalStateException("EVP_DigestFinal_ex failed", e);
            }
            if (ok != 1) {
                throw new IllegalStateException("EVP_DigestFinal_ex failed");
            }
        }

        static void free(MemorySegment c) {
            try {
                CTX_FREE.invokeExact(c);
            } catch (Throwable e) {
                throw new IllegalStateException("EVP_MD_CTX_free failed", e);
            }
        }
    }
}
