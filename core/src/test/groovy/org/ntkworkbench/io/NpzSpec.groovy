package org.ntkworkbench.io

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipEntry
import java.util.zip.ZipFile
import java.util.zip.ZipOutputStream
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir

import static org.ntkworkbench.io.Fixtures.base
import static org.ntkworkbench.io.Fixtures.npy

class NpzSpec extends Specification {

    @TempDir
    Path dir

    def "reads np.savez (stored entries) by name and in archive order"() {
        when:
        LinkedHashMap<String, Tensor> all = Npz.read(npy('stored.npz'))

        then:
        all.keySet().toList() == ['a', 'b']
        all.a.shape() == [2, 3] as int[]
        all.a.data() == base(6)
        all.b.data() == [0, 1, 2, 3] as double[]
        Npz.read(npy('stored.npz'), 'b').data() == [0, 1, 2, 3] as double[]
    }

    def "reads np.savez_compressed (deflated entries)"() {
        when:
        Tensor x = Npz.read(npy('deflated.npz'), 'x')
        Tensor kernel = Npz.read(npy('deflated.npz'), 'kernel')

        then:
        Npz.names(npy('deflated.npz')) == ['x', 'kernel']
        x.shape() == [3, 4] as int[]
        x.data() == base(12)
        kernel.shape() == [3, 3] as int[]
        (0..<3).every { i -> (0..<3).every { j -> kernel.get(i, j) == (i == j ? 1d : 0d) } }
    }

    def "a missing name is reported with the names present"() {
        when:
        Npz.read(npy('deflated.npz'), 'ntk')

        then:
        ArrayFileException e = thrown()
        e.message == "${npy('deflated.npz')}: no array 'ntk' (arrays: [x, kernel])".toString()
    }

    def "round-trips a map of tensors through stored (default) or deflated entries, keeping the order"() {
        given:
        def arrays = new LinkedHashMap<String, Tensor>()
        arrays['0/W'] = Tensor.randn(1, 5, 8)
        arrays['ntk'] = Tensor.randn(2, 4, 4)
        arrays['scalar'] = Tensor.scalar(-3.5)
        arrays['empty'] = Tensor.zeros(0, 2)
        Path f = dir.resolve('p.npz')

        when:
        Npz.write(f, arrays, compress)
        def back = Npz.read(f)

        then:
        back.keySet().toList() == ['0/W', 'ntk', 'scalar', 'empty']
        arrays.every { k, v -> back[k].shape() == v.shape() && back[k].data() == v.data() }
        new ZipFile(f.toFile()).withCloseable { z -> z.stream().toList().every { it.method == method } }

        and: 'each entry is exactly the NPY image of its array'
        new ZipFile(f.toFile()).withCloseable { z ->
            arrays.every { k, v -> z.getInputStream(z.getEntry(k + '.npy')).readAllBytes() == NpyWriter.toBytes(v) }
        }

        and: 'equal arrays give equal files (fixed entry timestamps)'
        Npz.write(dir.resolve('q.npz'), arrays, compress)
        Files.readAllBytes(f) == Files.readAllBytes(dir.resolve('q.npz'))

        where:
        compress | method
        false    | ZipEntry.STORED
        true     | ZipEntry.DEFLATED
    }

    def "the default is stored, as np.savez: the archive is the NPY images plus zip headers"() {
        given:
        Tensor k = Tensor.randn(3, 50, 40)
        Path f = dir.resolve('k.npz')

        when:
        Npz.write(f, [ntk: k])

        then: 'size = NPY image + local header + central directory (a few hundred bytes at most)'
        long image = NpyWriter.toBytes(k).length
        Files.size(f) > image
        Files.size(f) < image + 300
        Npz.read(f, 'ntk').data() == k.data()
    }

    def "NPY files are streamed into an archive byte for byte"() {
        given:
        Tensor a = Tensor.randn(4, 30, 20)
        Path npyFile = dir.resolve('a.npy')
        NpyWriter.write(npyFile, a)
        Path f = dir.resolve('files.npz')

        when:
        Npz.writeNpyFiles(f, [ntk: npyFile], compress)

        then:
        Npz.read(f, 'ntk').data() == a.data()
        new ZipFile(f.toFile()).withCloseable { z -> z.getInputStream(z.getEntry('ntk.npy')).readAllBytes() == Files.readAllBytes(npyFile) }

        where:
        compress << [false, true]
    }

    def "a file that is not a zip, or a cut-off zip, is refused with its name"() {
        given:
        Path notZip = dir.resolve('x.npz')
        Files.writeString(notZip, 'just text')
        Path cut = dir.resolve('cut.npz')
        byte[] whole = Files.readAllBytes(npy('deflated.npz'))
        Files.write(cut, Arrays.copyOf(whole, whole.length - 40))

        when:
        Npz.read(notZip)
        then:
        ArrayFileException e = thrown()
        e.message.startsWith("$notZip: not a valid NPZ (zip) archive")

        when:
        Npz.read(cut)
        then:
        ArrayFileException e2 = thrown()
        e2.message.startsWith("$cut: ")
    }

    def "a bad entry is reported as file:name"() {
        given:
        Path f = dir.resolve('bad.npz')
        Files.newOutputStream(f).withCloseable { os ->
            def zip = new ZipOutputStream(os)
            zip.putNextEntry(new ZipEntry('good.npy'))
            NpyWriter.write(zip, Tensor.vector(1, 2))
            zip.putNextEntry(new ZipEntry('big.npy'))
            zip.write(Files.readAllBytes(npy('bad_bigendian.npy')))
            zip.finish()
        }

        when:
        Npz.read(f)

        then:
        ArrayFileException e = thrown()
        e.message.startsWith("$f:big: big-endian dtype '>f8'")

        and: 'the good entry alone still reads'
        Npz.read(f, 'good').data() == [1d, 2d] as double[]
    }
}
