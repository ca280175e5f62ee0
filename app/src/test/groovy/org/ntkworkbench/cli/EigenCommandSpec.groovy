package org.ntkworkbench.cli

import java.nio.file.Path
import org.ntkworkbench.io.DefaultArrayIO
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir

class EigenCommandSpec extends Specification {

    @TempDir
    Path dir

    def io = new DefaultArrayIO()

    /** The path Laplacian: eigenvalues 2 - 2 cos(k pi / (n + 1)), k = 1..n. */
    Path laplacian(int n) {
        def a = Tensor.zeros(n, n)
        for (i in 0..<n) {
            a.set(2d, i, i)
            if (i > 0) { a.set(-1d, i, i - 1); a.set(-1d, i - 1, i) }
        }
        Path p = dir.resolve('K.npy')
        io.writeNpy(p, a)
        p
    }

    static double exact(int n, int k) { 2 - 2 * Math.cos(k * Math.PI / (n + 1)) }

    def "all eigenvalues, descending, and the top 3 with vectors"() {
        given:
        int n = 60
        Path k = laplacian(n)

        when:
        def all = NtkProcess.run('', 'eigen', '--in', k.toString(), '--out', dir.resolve('E.npz').toString())
        def top = NtkProcess.run('', 'eigen', '--in', k.toString(), '--top', '3', '--vectors', '--out', dir.resolve('T.npz').toString())

        then:
        all.exit == 0
        top.exit == 0
        def values = io.readNpz(dir.resolve('E.npz'))['values'].data()
        values.length == n
        (0..<n).every { i -> Math.abs(values[i] - exact(n, n - i)) < 1e-12 }

        and: 'top-3 eigenpairs satisfy A v = lambda v'
        def t = io.readNpz(dir.resolve('T.npz'))
        t['vectors'].shape() == [n, 3] as int[]
        (0..<3).every { j -> Math.abs(t['values'].data()[j] - exact(n, n - j)) < 1e-9 }
        (0..<3).every { j ->
            (0..<n).every { i ->
                double av = 2 * t['vectors'].get(i, j) - (i > 0 ? t['vectors'].get(i - 1, j) : 0) - (i < n - 1 ? t['vectors'].get(i + 1, j) : 0)
                Math.abs(av - t['values'].data()[j] * t['vectors'].get(i, j)) < 1e-8
            }
        }
    }

    def "bad input is one line and exit 2"() {
        given:
        def a = Tensor.of([1, 2, 3, 1] as double[], 2, 2)
        io.writeNpy(dir.resolve('A.npy'), a)

        expect:
        NtkProcess.run('', 'eigen', '--in', dir.resolve('A.npy').toString(), '--out', dir.resolve('o.npz').toString())
                .with { exit == 2 && err.readLines().size() == 1 && err.contains('not symmetric at (1, 0)') }
        NtkProcess.run('', 'eigen', '--in', dir.resolve('nope.npy').toString(), '--out', dir.resolve('o.npz').toString())
                .with { exit == 2 && err.readLines().size() == 1 && err.contains('nope.npy') }
    }
}
