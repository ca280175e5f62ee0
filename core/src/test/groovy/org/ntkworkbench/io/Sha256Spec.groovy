package org.ntkworkbench.io

import java.lang.foreign.Arena
import java.lang.foreign.MemorySegment
import java.lang.foreign.ValueLayout
import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

/**
 * {@link Sha256}: libcrypto's digests (through FFM) are the JDK's MessageDigest's, whatever the sizes (around the
 * 64-byte block and the 55/56-byte padding boundary, past the 1 MiB native chunk) and however the bytes are handed
 * over (heap arrays, heap and direct buffers, native, heap and mapped segments, split at random points); the JDK
 * fallback gives the same; the decision follows the library's presence, the content's size and -Dntk.sha256=jdk.
 */
class Sha256Spec extends Specification {
    @TempDir Path dir

    static String reference(byte[] b) {
        MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString()
    }

    /** Where Debian, Ubuntu and Fedora put libcrypto.so.3: the workbench must use it when it is there. */
    static boolean libcryptoInstalled() {
        ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/lib/x86_64-linux-gnu']
                .any { Files.exists(Path.of(it, 'libcrypto.so.3')) }
    }

    /** {@code b} fed to {@code d} in pieces split at random points, each piece in the given form. */
    static String digest(Sha256 d, byte[] b, String form, Random rnd) {
        Arena arena = Arena.ofConfined()
        try {
            int i = 0
            while (i < b.length) {
                int n = Math.min(b.length - i, rnd.nextInt(4) == 0 ? rnd.nextInt(3 << 20) : rnd.nextInt(200))
                switch (form) {
                    case 'array': d.update(b, i, n); break
                    case 'heap buffer':
                        def hb = ByteBuffer.wrap(b, i, n)
                        d.update(hb)
                        assert !hb.hasRemaining()
                        break
                    case 'direct buffer':
                        def db = ByteBuffer.allocateDirect(n).put(b, i, n).flip()
                        d.update(db)
                        assert !db.hasRemaining()
                        break
                    case 'native segment': d.update(arena.allocate(Math.max(1, n)).copyFrom(MemorySegment.ofArray(b).asSlice(i, n)).asSlice(0, n)); break
                    case 'heap segment': d.update(MemorySegment.ofArray(b).asSlice(i, n)); break
                }
                i += n
            }
            return d.hex()
        } finally {
            arena.close()
        }
    }

    @Unroll
    def "#size bytes as #form: libcrypto's digest and the fallback's are MessageDigest's"() {
        given:
        def rnd = new Random(size * 31 + form.hashCode())
        byte[] b = new byte[size]
        rnd.nextBytes(b)
        def big = Sha256.create(Sha256.NATIVE_FROM)
        def fallback = Sha256.createJdk()

        expect:
        big.openSsl() == libcryptoInstalled()
        !fallback.openSsl()
        digest(big, b, form, rnd) == reference(b)
        digest(fallback, b, form, rnd) == reference(b)

        where:
        [size, form] << [[0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, (1 << 20) + 7, (3 << 20) + 1],
                         ['array', 'heap buffer', 'direct buffer', 'native segment', 'heap segment']].combinations()
    }

    def "a mapped file region and a whole file: the digest of its bytes; the empty file's is the empty digest"() {
        given:
        byte[] b = new byte[(5 << 20) + 3]
        new Random(5).nextBytes(b)
        Path f = dir.resolve('f.bin')
        Files.write(f, b)
        Path empty = Files.createFile(dir.resolve('empty.bin'))
        Path small = dir.resolve('small.bin')
        Files.write(small, Arrays.copyOf(b, 100))

        when:
        String mapped
        FileChannel.open(f).withCloseable { ch ->
            Arena.ofConfined().withCloseable { arena ->
                def d = Sha256.create(ch.size())
                d.update(ch.map(FileChannel.MapMode.READ_ONLY, 0, 3, arena))
                d.update(ch.map(FileChannel.MapMode.READ_ONLY, 3, ch.size() - 3, arena))
                mapped = d.hex()
            }
        }

        then:
        mapped == reference(b)
        Sha256.ofFile(f) == reference(b)
        Sha256.ofFile(small) == reference(Arrays.copyOf(b, 100))
        Sha256.ofFile(empty) == 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    }

    def "the decision: libcrypto where installed for big content (and once linked, for small content too); -Dntk.sha256=jdk: the JDK for all"() {
        given:
        String before = System.getProperty('ntk.sha256')

        when:
        Sha256.create(Sha256.NATIVE_FROM).close()   // links libcrypto where it is installed
        boolean big = Sha256.create(Sha256.NATIVE_FROM).with { d -> try { d.openSsl() } finally { d.close() } }
        boolean small = Sha256.create(10).with { d -> try { d.openSsl() } finally { d.close() } }
        System.setProperty('ntk.sha256', 'jdk')
        boolean forced = Sha256.create(Sha256.NATIVE_FROM).with { d -> try { d.openSsl() } finally { d.close() } }
        String forcedHex = Sha256.create(Sha256.NATIVE_FROM).update('abc'.bytes, 0, 3).hex()

        then:
        Sha256.usesOpenSsl() == false
        big == libcryptoInstalled()
        small == libcryptoInstalled()
        !forced
        forcedHex == 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'

        cleanup:
        before == null ? System.clearProperty('ntk.sha256') : System.setProperty('ntk.sha256', before)
    }

    def "an ended digest refuses more bytes; close after hex and a second close are harmless"() {
        given:
        def d = Sha256.create(Sha256.NATIVE_FROM)
        d.update(new byte[3], 0, 3)
        String hex = d.hex()

        when:
        d.update(new byte[1], 0, 1)

        then:
        thrown(IllegalStateException)
        hex == reference(new byte[3])

        when:
        d.close()
        d.close()
        def e = Sha256.create(Sha256.NATIVE_FROM)
        e.close()
        e.hex()

        then:
        thrown(IllegalStateException)
    }
}
