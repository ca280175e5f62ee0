package org.ntkworkbench.data

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.io.ArrayFileException
import org.ntkworkbench.io.NpyWriter
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir

/** IDX (gz and plain), CSV and NPY readers on fixtures generated here; selection, sampling, normalisation; hostile files. */
class DatasetFilesSpec extends Specification {
    @TempDir Path root

    DatasetRequest req(String name, String split, int n, DatasetRequest.Sample s = DatasetRequest.Sample.FIRST, long seed = 0,
                       List<Integer> classes = null, String norm = 'none', boolean flatten = true) {
        new DatasetRequest(name, split, n, s, seed, classes, DatasetRequest.Normalize.parse(norm), flatten, root)
    }

    def "IDX gz and plain: pixels and labels exactly as written, NHWC or flattened; test split from t10k files"() {
        given:
        IdxFixtures.write(root.resolve('toy'), 'train', 30, 4, 3, 5, true)
        IdxFixtures.write(root.resolve('toy'), 't10k', 12, 4, 3, 5, false)

        when:
        def tr = DatasetFiles.load(req('toy', 'train', 0, DatasetRequest.Sample.FIRST, 0, null, 'none', false))
        def te = DatasetFiles.load(req('toy', 'test', 7))

        then:
        tr.x().shape() == [30, 4, 3, 1] as int[]
        (0..<30).every { i -> (0..<4).every { r -> (0..<3).every { c -> tr.x().get(i, r, c, 0) == IdxFixtures.pixel(i, r, c) } } }
        tr.labels() == (0..<30).collect { IdxFixtures.label(it, 5) } as int[]
        tr.classes() == 5
        te.x().shape() == [7, 12] as int[]
        te.indices() == (0..<7) as int[]
        te.x().get(6, 11) == IdxFixtures.pixel(6, 3, 2)
    }

    def "stratified draws keep class shares (largest remainders), are seeded and sorted; classes renumber in the given order"() {
        given:
        IdxFixtures.write(root.resolve('toy'), 'train', 200, 2, 2, 4, true)
        int[] all = (0..<200).collect { IdxFixtures.label(it, 4) } as int[]
        Map<Integer, Integer> counts = all.toList().countBy { it }

        when:
        def a = DatasetFiles.load(req('toy', 'train', 50, DatasetRequest.Sample.STRATIFIED, 3))
        def b = DatasetFiles.load(req('toy', 'train', 50, DatasetRequest.Sample.STRATIFIED, 3))
        def c = DatasetFiles.load(req('toy', 'train', 50, DatasetRequest.Sample.STRATIFIED, 4))
        def two = DatasetFiles.load(req('toy', 'train', 10, DatasetRequest.Sample.STRATIFIED, 0, [2, 0]))

        then: 'each class gets floor or ceil of its share, total 50'
        counts.every { cls, cnt ->
            int got = a.labels().toList().count { it == cls }
            double share = 50.0 * cnt / 200
            got == Math.floor(share) || got == Math.ceil(share)
        }
        a.size() == 50
        a.indices() == b.indices()
        a.indices() != c.indices()
        a.indices().toList() == a.indices().toList().sort()
        a.indices().every { all[it] == a.labels()[a.indices().toList().indexOf(it)] }

        and: 'classes [2, 0]: original 2 becomes 0, original 0 becomes 1'
        two.classNames() == ['2', '0']
        two.indices().every { all[it] in [0, 2] }
        (0..<10).every { i -> two.labels()[i] == (all[two.indices()[i]] == 2 ? 0 : 1) }
    }

    def "normalize: standardize gives each example mean 0 and variance 1; unit divides 8-bit pixels by 255"() {
        given:
        IdxFixtures.write(root.resolve('toy'), 'train', 10, 4, 4, 3, false)

        when:
        def s = DatasetFiles.load(req('toy', 'train', 0, DatasetRequest.Sample.FIRST, 0, null, 'standardize'))
        def u = DatasetFiles.load(req('toy', 'train', 0, DatasetRequest.Sample.FIRST, 0, null, 'unit'))

        then:
        (0..<10).every { i ->
            double[] r = s.x().row(i)
            double m = r.sum() / 16
            double v = r.collect { (it - m) * (it - m) }.sum() / 16
            Math.abs(m) < 1e-12 && Math.abs(v - 1) < 1e-12
        }
        u.x().get(3, 5) == (double) IdxFixtures.pixel(3, 1, 1) / 255d
    }

    def "CSV with a label column and NPY pairs"() {
        given:
        Files.createDirectories(root.resolve('tab'))
        Files.writeString(root.resolve('tab/train.csv'), 'f1,label,f2\n1.5,2,-1\n0.25,0,3\n\n-2,1,4\n')
        Files.createDirectories(root.resolve('arr'))
        NpyWriter.write(root.resolve('arr/test_x.npy'), Tensor.of([1, 2, 3, 4, 5, 6] as double[], 3, 2))
        NpyWriter.write(root.resolve('arr/test_y.npy'), Tensor.of([1, 0, 1] as double[], 3))

        when:
        def csv = DatasetFiles.load(req('tab', 'train', 0))
        def npy = DatasetFiles.load(req('arr', 'test', 0))

        then:
        csv.x().data() == [1.5, -1, 0.25, 3, -2, 4] as double[]
        csv.labels() == [2, 0, 1] as int[]
        npy.x().shape() == [3, 2] as int[]
        npy.labels() == [1, 0, 1] as int[]
    }

    def "hostile IDX: a header larger than the file, truncated gzip, absurd dimensions: one line, no huge allocation"() {
        given:
        Path lying = root.resolve('lying')
        Path lyingGz = root.resolve('lying.gz')
        Path truncated = root.resolve('trunc.gz')
        Path absurd = root.resolve('absurd.gz')
        byte[] small = IdxFixtures.idx(0x08, [60000, 28, 28] as int[], new byte[100])
        Files.write(lying, small)
        Files.write(lyingGz, IdxFixtures.gzip(small))
        byte[] good = IdxFixtures.gzip(IdxFixtures.idx(0x08, [50, 28, 28] as int[], new byte[50 * 784]))
        Files.write(truncated, Arrays.copyOf(good, good.length.intdiv(2)))
        Files.write(absurd, IdxFixtures.gzip(IdxFixtures.idx(0x0E, [2000000000, 2000000000, 8] as int[], new byte[16])))
        long before = usedHeap()

        when:
        def msgs = [lying, lyingGz, truncated, absurd].collect { p ->
            try { Idx.read(p); 'read' } catch (ArrayFileException e) { e.message }
        }

        then:
        msgs[0].contains('47040000 bytes of data') && msgs[0].contains('holds only 100')
        msgs[1].contains('data ends after 100 bytes')
        msgs[2].contains('truncated') || msgs[2].contains('data ends')
        msgs[3].contains('more than one array can hold')
        msgs.every { !it.contains('\n') }
        usedHeap() - before < 64L << 20
    }

    def "where files are missing: a known name says where to get it; an unknown name lists what is known"() {
        given: 'a known data set not installed here (mnist; fashion-mnist when Debian has not installed it)'
        String known = DatasetFiles.roots(null).any { Files.isDirectory(it.resolve('mnist')) } ? null : 'mnist'
        if (known == null) return
        when:
        DatasetFiles.folder(known, root.resolve('empty'))
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(known == 'mnist' ? 'yann.lecun.com' : 'apt install dataset-fashion-mnist')
        e.message.contains('--data DIR')

        when:
        DatasetFiles.folder('no-such-set', root)
        then:
        def u = thrown(IllegalArgumentException)
        u.message.startsWith("unknown data set 'no-such-set'")
        u.message.contains('fashion-mnist')
    }

    def "dataset: specs parse NAME, split and n; bad specs name themselves"() {
        expect:
        def r = DatasetSpec.parse('dataset:fashion-mnist:test:2000').request()
        [r.name(), r.split(), r.n(), r.sample()] == ['fashion-mnist', 'test', 2000, DatasetRequest.Sample.FIRST]
        def m = DatasetSpec.parse('dataset:mnist').request()
        [m.split(), m.n()] == ['train', 0]

        when:
        DatasetSpec.parse('dataset:mnist:val:5')
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('dataset:mnist:val:5') && e.message.contains('split')
    }

    static long usedHeap() {
        System.gc()
        Runtime.runtime.totalMemory() - Runtime.runtime.freeMemory()
    }
}
