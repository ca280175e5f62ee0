package org.ntkworkbench.io

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import spock.lang.Specification
import spock.lang.TempDir

/** AtomicFiles.write: the bytes land intact whatever the write sizes, and the SHA-256 it records is the file's. */
class AtomicFilesSpec extends Specification {

    @TempDir
    Path dir

    static String sha(byte[] b) {
        MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString()
    }

    def "#what: content intact and writtenSha256 equals the SHA-256 of the file's bytes"() {
        given:
        def random = new Random(7)
        byte[] expected = new byte[bytes]
        random.nextBytes(expected)
        Path f = dir.resolve("out-${bytes}.bin")

        when: 'written in pieces of mixed sizes (single bytes, small arrays, arrays bigger than the 1 MiB buffers)'
        AtomicFiles.write(f) { out ->
            int i = 0
            int step = 0
            while (i < expected.length) {
                int n = Math.min(expected.length - i, [1, 7, 65536, 3 << 20, 100][step++ % 5])
                if (n == 1) {
                    out.write(expected[i])
                } else {
                    out.write(expected, i, n)
                }
                i += n
            }
        }
        byte[] actual = Files.readAllBytes(f)

        then:
        Arrays.equals(actual, expected)   // (Groovy's == on arrays boxes every byte: seconds for 35 MB)
        AtomicFiles.writtenSha256(f, Files.size(f), Files.getLastModifiedTime(f).toMillis()) == sha(expected)
        Files.list(dir).count() == 1   // no temporary file left

        when: 'the file changes afterwards'
        Files.write(f, [1, 2, 3] as byte[], java.nio.file.StandardOpenOption.APPEND)

        then: 'the recorded hash is not offered for it any more'
        AtomicFiles.writtenSha256(f, Files.size(f), Files.getLastModifiedTime(f).toMillis()) == null

        where:
        what                          | bytes
        'empty'                       | 0
        'small (one buffer)'          | 1000
        'exactly one buffer'          | 1 << 20
        'many buffers (pipelined)'    | 9_000_123
        'past a write-back request'   | (HashingChannelOutput.SYNC_EVERY_MIB << 20) + 3_000_001
    }

    def "a body failing after #mib MiB leaves neither the target nor a temporary file"() {
        given:
        Path f = dir.resolve('k.npz')

        when:
        AtomicFiles.write(f) { out ->
            out.write(new byte[mib << 20])
            throw new IllegalStateException('boom')
        }

        then:
        IllegalStateException e = thrown()
        e.message == 'boom'
        !Files.exists(f)
        Files.list(dir).count() == 0

        where: 'the file, digest and write-back threads all started in the second case'
        mib << [5, HashingChannelOutput.SYNC_EVERY_MIB + 3]
    }

    def "a digest still under way (NpzRowWriter.commit): writtenSha256 waits for it; a failed one is unknown (null), as is a changed file"() {
        given:
        Path f = dir.resolve('k.npz')
        Files.write(f, 'abc'.bytes)
        long mtime = Files.getLastModifiedTime(f).toMillis()
        def pending = new java.util.concurrent.CompletableFuture<String>()
        AtomicFiles.remember(f, 3, pending)

        when: 'the digest completes 0.3 s after the lookup starts'
        Thread.startVirtualThread { Thread.sleep(300); pending.complete('d1g35t') }
        long t0 = System.nanoTime()
        String got = AtomicFiles.writtenSha256(f, 3, mtime)

        then:
        got == 'd1g35t'
        System.nanoTime() - t0 >= 200_000_000L
        AtomicFiles.writtenSha256(f, 4, mtime) == null

        when:
        AtomicFiles.remember(f, 3, java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException('mapping failed')))

        then:
        AtomicFiles.writtenSha256(f, 3, mtime) == null
    }
}
