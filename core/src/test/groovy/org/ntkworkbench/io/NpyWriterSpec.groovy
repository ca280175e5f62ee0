package org.ntkworkbench.io

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.Executors
import org.ntkworkbench.tensor.Tensor
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import static org.ntkworkbench.io.Fixtures.npy

class NpyWriterSpec extends Specification {

    @TempDir
    Path dir

    @Unroll
    def "writes #expected byte for byte as np.save does"() {
        given: 'the same array make_fixtures.py saved, rebuilt in Java'
        Tensor t = Tensor.of(values as double[], shape as int[])

        when:
        Path out = dir.resolve('ours.npy')
        NpyWriter.write(out, t)

        then:
        Files.readAllBytes(out) == Files.readAllBytes(npy(expected))
        NpyWriter.toBytes(t) == Files.readAllBytes(npy(expected))

        where:
        expected               | shape                                | values
        'expect_2x3.npy'       | [2, 3]                               | (0..<6).collect { it / 7.0d }
        'expect_5.npy'         | [5]                                  | (0..<5).collect { it - 2.5d }
        'expect_scalar.npy'    | []                                   | [-0.1d]
        'expect_1000000x0.npy' | [1000000, 0]                         | []
        'expect_edge.npy'      | [0, 10, 10, 10, 10, 10, 10, 10, 10, 1000000] | []
    }

    def "round-trips random tensors of every rank, and the data starts at a multiple of 64"() {
        expect:
        (0..6).every { rank ->
            int[] shape = (0..<rank).collect { 1 + (it * 7 + rank) % 5 } as int[]
            Tensor t = Tensor.randn(rank, shape)
            Path f = dir.resolve("r${rank}.npy")
            NpyWriter.write(f, t)
            NpyHeader h = NpyReader.readHeader(f)
            Tensor back = NpyReader.read(f)
            back.shape() == shape && back.data() == t.data() && h.dataOffset() % 64 == 0 && h.majorVersion() == 1 &&
                    Files.size(f) == h.dataOffset() + 8L * t.size()
        }
    }

    def "a header longer than 65535 bytes switches to format 2.0"() {
        given: 'rank 22000 of ones: the shape text alone is 66000 characters'
        int[] shape = new int[22000]
        Arrays.fill(shape, 1)
        Tensor t = Tensor.of([42.5d] as double[], shape)
        Path f = dir.resolve('long.npy')

        when:
        NpyWriter.write(f, t)
        byte[] bytes = Files.readAllBytes(f)
        NpyHeader h = NpyReader.readHeader(f)

        then:
        bytes[6] == 2 as byte
        h.majorVersion() == 2
        h.dataOffset() % 64 == 0
        NpyReader.read(f).data() == [42.5d] as double[]
    }

    def "a failed write leaves the old file untouched and no temporary file behind"() {
        given:
        Path f = dir.resolve('keep.npy')
        NpyWriter.write(f, Tensor.vector(1, 2, 3))
        byte[] before = Files.readAllBytes(f)

        when:
        AtomicFiles.write(f) { out ->
            out.write(new byte[100000])
            throw new IOException('disk full (simulated)')
        }

        then:
        IOException e = thrown()
        e.message == 'disk full (simulated)'
        Files.readAllBytes(f) == before
        Files.list(dir).withCloseable { it.toList() } == [f]
    }

    def "writing into a missing directory creates it"() {
        given:
        Path f = dir.resolve('runs/x/arrays/a.npy')

        when:
        NpyWriter.write(f, Tensor.vector(7))

        then:
        NpyReader.read(f).data() == [7d] as double[]
    }

    def "the mapped writer fills a kernel block by block and renames it into place only on close"() {
        given: 'K[i][j] = sin(i) * j + i / (j + 1), written in row blocks of uneven size, out of order'
        int n1 = 37
        int n2 = 11
        Path f = dir.resolve('K.npy')
        MappedNpyWriter w = NpyWriter.createMapped(f, n1, n2)
        List<int[]> blocks = [[20, 37], [0, 7], [7, 8], [8, 20]].collect { it as int[] }

        when:
        blocks.each { b ->
            double[] block = new double[(b[1] - b[0]) * n2]
            for (int i = b[0]; i < b[1]; i++)
                for (int j = 0; j < n2; j++) block[(i - b[0]) * n2 + j] = Math.sin(i) * j + i / (j + 1.0d)
            w.writeRows(b[0], block)
        }

        then: 'nothing under the target name yet, one hidden temporary file'
        !Files.exists(f)
        Files.list(dir).withCloseable { it.toList() }.size() == 1
        w.rowsWritten() == n1

        when:
        w.close()
        Tensor k = NpyReader.read(f)

        then:
        k.shape() == [n1, n2] as int[]
        (0..<n1).every { i -> (0..<n2).every { j -> k.get(i, j) == Math.sin(i) * j + i / (j + 1.0d) } }
        Files.readAllBytes(f) == NpyWriter.toBytes(k)
        Files.list(dir).withCloseable { it.toList() } == [f]

        and: 'the mapped reader sees the same rows'
        NpyReader.map(f).withCloseable { m -> m.readRows(5, 2) == Arrays.copyOfRange(k.data(), 5 * n2, 7 * n2) && m.get(36, 10) == k.get(36, 10) }
    }

    def "the mapped writer accepts blocks from several threads"() {
        given:
        int n1 = 64
        int n2 = 33
        Path f = dir.resolve('par.npy')
        def pool = Executors.newFixedThreadPool(4)

        when:
        NpyWriter.createMapped(f, n1, n2).withCloseable { w ->
            (0..<16).collect { b ->
                pool.submit {
                    double[] block = new double[4 * n2]
                    for (int r = 0; r < 4; r++) for (int j = 0; j < n2; j++) block[r * n2 + j] = (4 * b + r) * 1000 + j
                    w.writeRows(4 * b, block)
                }
            }*.get()
        }
        Tensor k = NpyReader.read(f)

        then:
        (0..<n1).every { i -> (0..<n2).every { j -> k.get(i, j) == i * 1000 + j } }

        cleanup:
        pool.shutdown()
    }

    def "closing a mapped writer with rows missing saves nothing and says which row"() {
        given:
        Path f = dir.resolve('partial.npy')
        MappedNpyWriter w = NpyWriter.createMapped(f, 10, 3)
        w.writeRows(0, new double[12])

        when:
        w.close()

        then:
        IllegalStateException e = thrown()
        e.message.contains('6 of 10 rows never written (first: row 4)')
        !Files.exists(f)
        Files.list(dir).withCloseable { it.toList() }.isEmpty()
    }

    def "the mapped writer rejects blocks that are not whole rows or fall outside the array"() {
        given:
        MappedNpyWriter w = NpyWriter.createMapped(dir.resolve('x.npy'), 4, 3)

        when:
        w.writeRows(0, new double[4])
        then:
        thrown(IllegalArgumentException)

        when:
        w.writeRows(3, new double[6])
        then:
        thrown(IndexOutOfBoundsException)

        cleanup:
        w.abort()
    }

    @Requires({ Fixtures.numpyAvailable() })
    def "NumPy reads what we write (checked only where python3 with NumPy is installed)"() {
        given:
        Path f = dir.resolve('for_numpy.npy')
        Path z = dir.resolve('for_numpy.npz')
        Tensor a = Tensor.of((0..<12).collect { Math.sqrt(it as double) } as double[], 3, 4)
        NpyWriter.write(f, a)
        Npz.write(z, [first: a, second: Tensor.vector(-1.5, 2.5)])

        when:
        String out = Fixtures.python("""
import numpy as np
a = np.load(r'$f')
ref = np.sqrt(np.arange(12.0)).reshape(3, 4)
z = np.load(r'$z')
print(a.dtype, a.shape, np.array_equal(a, ref), list(z.keys()), np.array_equal(z['first'], ref), z['second'].tolist())
""")

        then:
        out == "float64 (3, 4) True ['first', 'second'] True [-1.5, 2.5]"
    }
}
