package org.ntkworkbench.io

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

/** {@link NpzRowWriter}: the same bytes as {@link Npz#write} (stored), written row block by row block; atomic. */
class NpzRowWriterSpec extends Specification {
    @TempDir Path dir

    static String sha256(byte[] b) {
        MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString()
    }

    /**
     * Writes the arrays through a row writer in blocks of {@code block} rows: {@code order} 'interleaved' (every entry
     * per block), 'sequential' (all of the first entry, then the next: the NNGP-first stream of ntk kernel, whose
     * first entry is hashed while the next is written) or 'reversed' (the last entry first).
     */
    Path streamed(String file, Map<String, Tensor> arrays, int block, String order = 'interleaved') {
        Path p = dir.resolve(file)
        def names = arrays.keySet() as List
        int rows = arrays.values().first().dim(0), cols = arrays.values().first().dim(1)
        def write = { NpzRowWriter w, int e, int from ->
            int to = Math.min(rows, from + block)
            w.writeRows(e, from, to, Arrays.copyOfRange(arrays[names[e]].data(), from * cols, to * cols))
        }
        NpzRowWriter.create(p, names, rows, cols).withCloseable { w ->
            if (order == 'interleaved') {
                for (int from = 0; from < rows; from += block) {
                    names.indices.each { int e -> write(w, e, from) }
                }
            } else {
                def entries = order == 'sequential' ? names.indices : names.indices.reverse()
                entries.each { int e -> for (int from = 0; from < rows; from += block) write(w, e, from) }
            }
            w.commit()
        }
        p
    }

    @Unroll
    def "#names (#rows, #cols) in blocks of #block rows, #order: byte for byte the NPZ of Npz.write; the remembered SHA-256 is the file's"() {
        given:
        def rnd = new Random(rows * 1000 + cols)
        Map<String, Tensor> arrays = [:]
        names.each { n ->
            double[] v = new double[rows * cols]
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 20)
            if (v.length > 2) { v[1] = -0.0d; v[2] = Double.MIN_VALUE }
            arrays[n] = Tensor.of(v, rows, cols)
        }
        Path ref = dir.resolve('ref.npz')
        Npz.write(ref, arrays)

        when:
        Path p = streamed('s.npz', arrays, block, order)
        byte[] got = Files.readAllBytes(p)

        then:
        Arrays.equals(got, Files.readAllBytes(ref))
        AtomicFiles.writtenSha256(p, Files.size(p), Files.getLastModifiedTime(p).toMillis()) == sha256(got)
        Npz.read(p).keySet() as List == names
        Files.list(dir).count() == 2 // no temporary file left

        where:
        names            | rows | cols | block | order
        ['nngp', 'ntk']  | 1    | 1    | 1     | 'interleaved'
        ['nngp', 'ntk']  | 3    | 5    | 2     | 'interleaved'
        ['ntk']          | 70   | 130  | 64    | 'interleaved'
        ['nngp']         | 129  | 7    | 64    | 'interleaved'
        ['a', 'bb', 'c'] | 10   | 10   | 3     | 'interleaved'
        ['nngp', 'ntk']  | 0    | 4    | 1     | 'interleaved'
        ['nngp', 'ntk']  | 300  | 2000 | 64    | 'sequential'
        ['nngp', 'ntk']  | 1    | 1    | 1     | 'sequential'
        ['a', 'bb', 'c'] | 10   | 10   | 3     | 'sequential'
        ['a', 'bb', 'c'] | 130  | 70   | 64    | 'reversed'
        ['nngp', 'ntk']  | 0    | 4    | 1     | 'sequential'
    }

    def "hashed by reading instead of mapping (the path for what is left after the rename): the same file, the file's SHA-256"() {
        given:
        def rnd = new Random(7)
        Map<String, Tensor> arrays = ['nngp', 'ntk'].collectEntries { n ->
            double[] v = new double[300 * 500]
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian()
            [(n): Tensor.of(v, 300, 500)]
        }
        Path ref = dir.resolve('ref.npz')
        Npz.write(ref, arrays)
        NpzRowWriter.mapTemporary = false

        when:
        Path p = streamed('r.npz', arrays, 64, 'sequential')
        byte[] got = Files.readAllBytes(p)

        then:
        Arrays.equals(got, Files.readAllBytes(ref))
        AtomicFiles.writtenSha256(p, Files.size(p), Files.getLastModifiedTime(p).toMillis()) == sha256(got)

        cleanup:
        NpzRowWriter.mapTemporary = true
    }

    def "closed without commit (a failure mid-write): nothing under the final name, an existing file untouched, no temporary left"() {
        given:
        Path p = dir.resolve('K.npz')
        Files.writeString(p, 'old')
        double[] row = new double[50 * 1000]

        when:
        def w = NpzRowWriter.create(p, ['nngp', 'ntk'], 2000, 1000)
        for (int from = 0; from < 1000; from += 50) {   // 2 × 20 MB: past the early write-back
            w.writeRows(0, from, from + 50, row)
            w.writeRows(1, from, from + 50, row)
        }
        w.close()

        then:
        Files.readString(p) == 'old'
        Files.list(dir).count() == 1
    }

    def "closed without commit after the first entry is complete (its hash under way): nothing under the final name, no temporary left"() {
        given:
        Path p = dir.resolve('K.npz')
        double[] rows = new double[100 * 2000]
        Arrays.fill(rows, 1.5d)

        when:
        def w = NpzRowWriter.create(p, ['nngp', 'ntk'], 300, 2000)
        for (int from = 0; from < 300; from += 100) {
            w.writeRows(0, from, from + 100, rows)   // the NNGP complete: its header written, the hasher started
        }
        w.writeRows(1, 0, 100, rows)
        w.close()

        then:
        !Files.exists(p)
        Files.list(dir).count() == 0
    }

    def "rows out of order, a commit before every row, a Zip64-sized archive: refused"() {
        given:
        def w = NpzRowWriter.create(dir.resolve('K.npz'), ['nngp'], 4, 2)

        when:
        w.writeRows(0, 2, 4, new double[4])
        then:
        thrown(IllegalArgumentException)

        when:
        w.writeRows(0, 0, 2, new double[4])
        w.commit()
        then:
        thrown(IllegalStateException)

        when:
        w.close()
        then:
        !Files.exists(dir.resolve('K.npz'))
        Files.list(dir).count() == 0
        NpzRowWriter.fits(['nngp', 'ntk'], 16000, 16000)
        !NpzRowWriter.fits(['nngp', 'ntk'], 17000, 17000)
        !NpzRowWriter.fits(['ntk'], 30000, 30000)
    }
}
