package org.ntkworkbench.cli

import static org.ntkworkbench.nn.Layers.*

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.GZIPOutputStream
import java.nio.ByteBuffer
import org.ntkworkbench.io.DefaultArrayIO
import org.ntkworkbench.io.NpyWriter
import org.ntkworkbench.model.RowBlockKernelService
import org.ntkworkbench.fit.DirectSolver
import org.ntkworkbench.fit.FitPipeline
import org.ntkworkbench.fit.FitProgress
import org.ntkworkbench.fit.FitRequest
import org.ntkworkbench.fit.LocalKernelEngine
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import tools.jackson.databind.json.JsonMapper

/** {@code ntk fit} in a child JVM: the run directory's contents against the pipeline run here; bad input writes nothing. */
class FitCommandSpec extends Specification {
    @TempDir Path dir
    def io = new DefaultArrayIO()
    static final String EXPR = 'serial(dense(64, bStd: 0.1), relu(), dense(1))'
    static final Layer NET = serial(dense(64, 1.0, 0.1), relu(), dense(1))

    static byte[] idx(int[] dims, byte[] data) {
        def b = ByteBuffer.allocate(4 + 4 * dims.length + data.length)
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length)
        dims.each { b.putInt(it) }
        b.put(data).array()
    }

    static void gz(Path p, byte[] raw) {
        Files.newOutputStream(p).withCloseable { o -> new GZIPOutputStream(o).withCloseable { it.write(raw) } }
    }

    /** A 3-class toy image set 'toy' (6x5 images) with train and t10k files. */
    void toySet(Path root) {
        Path d = Files.createDirectories(root.resolve('toy'))
        [train: 40, t10k: 15].each { prefix, n ->
            byte[] px = new byte[n * 30]
            byte[] lb = new byte[n]
            for (int i = 0; i < n; i++) {
                int c = (i * 7 + 1) % 3
                lb[i] = (byte) c
                for (int p = 0; p < 30; p++) px[i * 30 + p] = (byte) ((p % 3 == c ? 180 : 20) + (i * 13 + p * 7) % 40)
            }
            gz(d.resolve("$prefix-images-idx3-ubyte.gz"), idx([n, 6, 5] as int[], px))
            gz(d.resolve("$prefix-labels-idx1-ubyte.gz"), idx([n] as int[], lb))
        }
    }

    def "classification on a data set: predictions.npz holds ntk, ntk_t100, nngp, nngp_t100 equal to the pipeline; accuracy in manifest; report"() {
        given:
        toySet(dir)
        Path out = dir.resolve('run')

        when:
        def r = NtkProcess.run('', 'fit', '--model', EXPR, '--x-train', 'dataset:toy:train:30', '--x-test', 'dataset:toy:test',
                '--t', 'inf,100', '--diag-reg', '1e-4', '--data', dir.toString(), '--out', out.toString())

        then:
        r.exit == 0
        def p = io.readNpz(out.resolve('predictions.npz'))
        p.keySet() == ['nngp', 'nngp_t100', 'ntk', 'ntk_t100'] as Set
        p['ntk'].shape() == [15, 3] as int[]
        def m = JsonMapper.builder().build().readTree(out.resolve('manifest.json').toFile())
        m.get('status').asText() == 'ok'
        m.get('results').get('accuracy_ntk').asDouble() >= 0.9
        m.get('results').has('accuracy_nngp_t100')
        ['kernel', 'solve_ntk', 'solve_nngp'].every { m.get('timings').has(it) }
        Files.isRegularFile(out.resolve('report.html'))
        Files.isRegularFile(out.resolve('plots/confusion_ntk.png'))
        Files.isRegularFile(out.resolve('plots/accuracy_vs_t.svg'))

        and: 'the same numbers as the pipeline on the same standardised data, to 1e-12'
        def org = org.ntkworkbench.data.DatasetFiles
        def tr = org.load(new org.ntkworkbench.data.DatasetRequest('toy', 'train', 30, org.ntkworkbench.data.DatasetRequest.Sample.FIRST, 0, null,
                org.ntkworkbench.data.DatasetRequest.Normalize.STANDARDIZE, true, dir))
        def te = org.load(new org.ntkworkbench.data.DatasetRequest('toy', 'test', 0, org.ntkworkbench.data.DatasetRequest.Sample.FIRST, 0, null,
                org.ntkworkbench.data.DatasetRequest.Normalize.STANDARDIZE, true, dir))
        def ref = new FitPipeline(new LocalKernelEngine(new RowBlockKernelService(2)), new DirectSolver()).run(FitRequest.classification(NET,
                tr.x(), tr.labels(), te.x(), te.labels(), 3, ['nngp', 'ntk'], [Double.POSITIVE_INFINITY, 100d], 1e-4), FitProgress.NONE)
        ref.predictions().every { k, v -> (0..<v.size()).every { Math.abs(v.data()[it] - p[k].data()[it]) <= 1e-12 * v.maxAbs() } }
    }

    def "bad input: #what gives one line, exit 2, and no run directory"() {
        given:
        toySet(dir)
        toySet(dir.resolve('h'))
        Files.move(dir.resolve('h/toy'), dir.resolve('half'))
        Files.delete(dir.resolve('half/train-labels-idx1-ubyte.gz'))
        ['images', 'labels'].each { Files.delete(dir.resolve("half/t10k-$it-idx${it == 'images' ? 3 : 1}-ubyte.gz")) }
        NpyWriter.write(dir.resolve('x.npy'), Tensor.randn(1, 6, 3))
        NpyWriter.write(dir.resolve('y5.npy'), Tensor.randn(2, 5))
        NpyWriter.write(dir.resolve('y6.npy'), Tensor.randn(4, 6))
        NpyWriter.write(dir.resolve('xt.npy'), Tensor.randn(3, 2, 3))
        NpyWriter.write(dir.resolve('nan.npy'), Tensor.of([1, 2, Double.NaN, 4, 5, 6] as double[], 2, 3))
        Path out = dir.resolve('run')
        def argv = ['fit', '--model', EXPR] + args.collect { it.replace('DIR', dir.toString()) } + ['--data', dir.toString(), '--out', out.toString()]

        when:
        def r = NtkProcess.run('', argv as String[])

        then:
        r.exit == 2
        r.err.trim().readLines().size() == 1
        r.err.contains(words)
        !Files.exists(out)
        Files.list(dir).noneMatch { it.fileName.toString().contains('partial') }

        where:
        what              | args                                                                                   || words
        'length mismatch' | ['--x-train', 'DIR/x.npy', '--y-train', 'DIR/y5.npy', '--x-test', 'DIR/xt.npy']       || 'training targets have 5 rows but the training inputs 6'
        'unknown data set'| ['--x-train', 'dataset:nope:train:5', '--x-test', 'dataset:nope:test:5']               || "unknown data set 'nope'"
        'missing file'    | ['--x-train', 'DIR/none.npy', '--y-train', 'DIR/y5.npy', '--x-test', 'DIR/xt.npy']     || 'none.npy'
        'missing labels'  | ['--x-train', 'dataset:half:train:5', '--x-test', 'dataset:toy:test:5']              || 'no such file (the labels of'
        'missing split'   | ['--x-train', 'dataset:toy:train:5', '--x-test', 'dataset:half:test:5']              || 'no test files'
        'n too large'     | ['--x-train', 'dataset:toy:train:41', '--x-test', 'dataset:toy:test:5']              || 'n = 41 asked but only 40'
        'NaN in inputs'   | ['--x-train', 'DIR/x.npy', '--y-train', 'DIR/y6.npy', '--x-test', 'DIR/nan.npy']       || 'non-finite'
    }
}
