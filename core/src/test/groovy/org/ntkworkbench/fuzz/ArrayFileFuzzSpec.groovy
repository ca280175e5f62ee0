package org.ntkworkbench.fuzz

import java.lang.management.ManagementFactory
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.CRC32
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream
import org.ntkworkbench.io.NpyReader
import org.ntkworkbench.io.Npz
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Seeded fuzzing of the NPY/NPZ readers: generated headers and bodies (truncated, lying shapes, odd dtypes,
 * random byte flips, deflated and stored NPZ entries). Every case must end in a tensor whose size matches its
 * shape, or in one {@link IOException}/{@link IllegalArgumentException} whose message is one line; never
 * another exception or an Error (OutOfMemoryError, NegativeArraySize, IndexOutOfBounds, NPE).
 */
class ArrayFileFuzzSpec extends Specification {

    @TempDir
    Path dir

    static final List<String> DTYPES = ['<f8', '<f4', '<i8', '<i4', '<i2', '|i1', '|u1', '<u2', '<u4', '<u8', '>f8', '>i4',
                                        '|b1', '<c16', '<f2', '<U3', '|O', 'float64', '<f8 ', '', "'", '<f16', '<i16']

    static byte[] npy(String header, byte[] body, int major = 1) {
        byte[] h = header.getBytes('ISO-8859-1')
        int pre = major == 1 ? 10 : 12
        int total = ((pre + h.length + 1 + 63).intdiv(64)) * 64
        def b = new ByteArrayOutputStream()
        b.write([0x93, 'N' as char, 'U' as char, 'M' as char, 'P' as char, 'Y' as char, major, 0] as byte[])
        int hl = total - pre
        if (major == 1) {
            b.write(hl & 0xff); b.write((hl >> 8) & 0xff)
        } else {
            b.write(hl & 0xff); b.write((hl >> 8) & 0xff); b.write((hl >> 16) & 0xff); b.write((hl >> 24) & 0xff)
        }
        b.write(h)
        (hl - h.length - 1).times { b.write(0x20) }
        b.write(0x0a)
        b.write(body)
        b.toByteArray()
    }

    static String header(Random r) {
        String dtype = DTYPES[r.nextInt(DTYPES.size())]
        int rank = r.nextInt(4)
        List<Long> shape = (0..<rank).collect { r.nextInt(5) == 0 ? [0L, 1L, 40000L, 2147483647L, 4294967296L, -1L][r.nextInt(6)] : (long) r.nextInt(6) }
        String sh = rank == 1 ? "(${shape[0]},)" : "(${shape.join(', ')})"
        String fo = r.nextInt(8) == 0 ? 'True' : 'False'
        switch (r.nextInt(12)) {
            case 0: return "{'descr': '$dtype', 'fortran_order': $fo}"
            case 1: return "{'descr': '$dtype', 'shape': $sh}"
            case 2: return "{'descr': '$dtype', 'fortran_order': $fo, 'shape': $sh, 'extra': 1, }"
            case 3: return "{'descr': '$dtype', 'fortran_order': $fo, 'shape': [${shape.join(', ')}], }"
            case 4: return "['descr', '$dtype']"
            case 5: return "{'descr': '$dtype', 'fortran_order': $fo, 'shape': $sh"
            default: return "{'descr': '$dtype', 'fortran_order': $fo, 'shape': $sh, }"
        }
    }

    static byte[] body(Random r, String h) {
        int n = [0, 1, 3, 8, 24, 64, 200, 1000][r.nextInt(8)]
        byte[] b = new byte[n]
        r.nextBytes(b)
        b
    }

    static byte[] mutate(Random r, byte[] bytes) {
        byte[] b = bytes.clone()
        switch (r.nextInt(5)) {
            case 0: return Arrays.copyOf(b, r.nextInt(b.length + 1))          // truncated anywhere
            case 1: if (b.length > 0) { (1 + r.nextInt(4)).times { b[r.nextInt(b.length)] = (byte) r.nextInt(256) } }; return b
            case 2: if (b.length > 9) { b[8] = (byte) r.nextInt(256); b[9] = (byte) r.nextInt(256) }; return b  // header length lies
            case 3: if (b.length > 6) { b[6] = (byte) r.nextInt(5) }; return b  // version
            default: return b
        }
    }

    static byte[] npz(Random r, Map<String, byte[]> entries) {
        def bos = new ByteArrayOutputStream()
        new ZipOutputStream(bos).withCloseable { z ->
            entries.each { name, data ->
                def e = new ZipEntry(name)
                if (r.nextBoolean()) {
                    e.method = ZipEntry.STORED
                    e.size = data.length
                    e.compressedSize = data.length
                    def crc = new CRC32(); crc.update(data); e.crc = crc.value
                }
                z.putNextEntry(e); z.write(data); z.closeEntry()
            }
        }
        bos.toByteArray()
    }

    static long allocated() {
        ((com.sun.management.ThreadMXBean) ManagementFactory.threadMXBean).getCurrentThreadAllocatedBytes()
    }

    void check(Closure<Object> read, byte[] bytes, String what, Map tally) {
        long before = allocated()
        try {
            def v = read()
            def tensors = v instanceof Map ? v.values() : [v]
            tensors.each { Tensor t ->
                long size = t.shape().inject(1L) { a, b -> a * b }
                assert size == t.data().length: what
                assert t.data().length <= bytes.length: "$what: more elements than bytes in the file"
            }
            tally.ok++
        } catch (IOException | IllegalArgumentException e) {
            assert e.message != null && !e.message.contains('\n'): "$what: ${e.message}"
            tally.refused++
        }
        long used = allocated() - before
        if (used > 64L * bytes.length + (8L << 20)) {
            tally.overAllocated << "$what allocated $used bytes for a ${bytes.length}-byte file".toString()
        }
    }

    def "generated NPY files are read or refused in one line (seeded, 800 cases)"() {
        given:
        def r = new Random(1515)
        def tally = [ok: 0, refused: 0, overAllocated: []]

        when:
        800.times { i ->
            String h = header(r)
            byte[] bytes = npy(h, body(r, h), r.nextInt(6) == 0 ? 2 : 1)
            if (r.nextInt(3) == 0) {
                bytes = mutate(r, bytes)
            }
            Path f = dir.resolve("f${i % 10}.npy")
            Files.write(f, bytes)
            check({ NpyReader.read(f) }, bytes, "case $i header $h", tally)
        }

        then:
        tally.ok + tally.refused == 800
        tally.ok > 50
        tally.refused > 250
        tally.overAllocated.isEmpty()
    }

    def "generated NPZ files (stored and deflated, lying entries) are read or refused in one line (seeded, 300 cases)"() {
        given:
        def r = new Random(2626)
        def tally = [ok: 0, refused: 0, overAllocated: []]

        when:
        300.times { i ->
            Map<String, byte[]> entries = [:]
            (r.nextInt(3) + (i % 7 == 0 ? 0 : 1)).times { k ->
                String h = header(r)
                byte[] b = npy(h, body(r, h))
                entries[r.nextInt(10) == 0 ? "x$k" : "a${k}.npy"] = r.nextInt(3) == 0 ? mutate(r, b) : b
            }
            byte[] bytes = npz(r, entries)
            if (r.nextInt(4) == 0) {
                bytes = mutate(r, bytes)
            }
            Path f = dir.resolve("z${i % 10}.npz")
            Files.write(f, bytes)
            check({ Npz.read(f) }, bytes, "npz case $i", tally)
        }

        then:
        tally.ok + tally.refused == 300
        tally.ok > 10
        tally.refused > 50
        tally.overAllocated.isEmpty()
    }

    /** Issue 15 case 4: the size check of NPZ entries is the memory planner's (its NpyReader.read(in, source, maxBytes)). */
    def "a deflated NPZ entry claiming 40000x40000 is refused without allocating it"() {
        given:
        byte[] entry = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (40000, 40000), }", new byte[800])
        byte[] bytes = npz(new Random(0) { boolean nextBoolean() { false } }, ['big.npy': entry])
        Path f = dir.resolve('big.npz')
        Files.write(f, bytes)
        def tally = [ok: 0, refused: 0, overAllocated: []]

        when:
        check({ Npz.read(f) }, bytes, 'big deflated entry', tally)

        then:
        tally.refused == 1
        tally.overAllocated.isEmpty()
    }
}
