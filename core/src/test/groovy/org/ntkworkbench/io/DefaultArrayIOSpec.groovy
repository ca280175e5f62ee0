package org.ntkworkbench.io

import com.google.inject.Guice
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll
import tools.jackson.databind.JsonNode

import static org.ntkworkbench.io.Fixtures.base
import static org.ntkworkbench.io.Fixtures.npy

class DefaultArrayIOSpec extends Specification {

    @TempDir
    Path dir

    ArrayIO io = Guice.createInjector().getInstance(ArrayIO)

    def "the service is injectable and delegates to the NPY and NPZ code"() {
        given:
        Tensor t = Tensor.randn(3, 4, 2)

        when:
        io.writeNpy(dir.resolve('t.npy'), t)
        io.writeNpz(dir.resolve('k.npz'), [nngp: t, ntk: Tensor.vector(1, 2)])

        then:
        io instanceof DefaultArrayIO
        io.readNpy(dir.resolve('t.npy')).data() == t.data()
        io.readNpz(dir.resolve('k.npz')).keySet().toList() == ['nngp', 'ntk']
        io.readNpz(dir.resolve('k.npz'), 'ntk').data() == [1d, 2d] as double[]
        io.readArray(dir.resolve('k.npz').toString() + ':nngp').data() == t.data()
        io.readArray(dir.resolve('t.npy').toString()).data() == t.data()
        io.readArray(npy('stored.npz').toString() + ':a').data() == base(6)
    }

    def "a bare NPZ name is accepted only when it holds one array"() {
        given:
        io.writeNpz(dir.resolve('one.npz'), [only: Tensor.vector(5)])

        expect:
        io.readArray(dir.resolve('one.npz').toString()).data() == [5d] as double[]

        when:
        io.readArray(npy('stored.npz').toString())

        then:
        ArrayFileException e = thrown()
        e.message.endsWith('holds 2 arrays [a, b]; name one as ' + npy('stored.npz') + ':NAME')
    }

    def "CSV tables round-trip, with integers written plainly and non-finite values as nan/inf"() {
        given:
        def table = NumericTable.ofColumns(['step', 'loss'],
                [0, 1, 2, 3, 4] as double[],
                [0.1, 1.0e-5, Double.NaN, Double.POSITIVE_INFINITY, -0.0d] as double[])
        Path f = dir.resolve('loss.csv')

        when:
        io.writeCsv(f, table)
        NumericTable back = io.readCsv(f)

        then:
        Files.readString(f) == 'step,loss\n0,0.1\n1,1.0E-5\n2,nan\n3,inf\n4,-0\n'
        back.columns() == ['step', 'loss']
        back.column('step') == [0, 1, 2, 3, 4] as double[]
        Arrays.equals(back.column('loss'), [0.1, 1.0e-5, Double.NaN, Double.POSITIVE_INFINITY, -0.0d] as double[])
    }

    def "CSV values round-trip exactly for random doubles"() {
        given:
        Tensor values = Tensor.randn(11, 50, 3).map(DefaultArrayIOSpec::spread)
        Path f = dir.resolve('r.csv')

        when:
        io.writeCsv(f, new NumericTable(['a', 'b', 'c'], values))

        then:
        io.readCsv(f).values().data() == values.data()
    }

    def "reads CSV written by other tools: spaces, CRLF, quoted header, NaN/Infinity spellings, blank lines"() {
        given:
        Path f = dir.resolve('other.csv')
        Files.writeString(f, '\uFEFF"degree", eigenvalue ,multiplicity\r\n0, 0.5 ,1\r\n\r\n1,-Infinity,3\r\n2,NaN,5\r\n3,1e-3,7\r\n')

        when:
        NumericTable t = io.readCsv(f)

        then:
        t.columns() == ['degree', 'eigenvalue', 'multiplicity']
        t.rowCount() == 4
        t.column('multiplicity') == [1, 3, 5, 7] as double[]
        t.column('eigenvalue')[0] == 0.5d
        t.column('eigenvalue')[1] == Double.NEGATIVE_INFINITY
        Double.isNaN(t.column('eigenvalue')[2])
        t.column('eigenvalue')[3] == 1e-3d
    }

    @Unroll
    def "refuses malformed CSV (#problem) naming file and line"() {
        given:
        Path f = dir.resolve('bad.csv')
        Files.writeString(f, text)

        when:
        io.readCsv(f)

        then:
        ArrayFileException e = thrown()
        e.message == "$f$where: $problem".toString()

        where:
        text                    | where | problem
        ''                      | ''    | 'empty CSV file (no header line)'
        'a,b\n1,2\n3\n'         | ':3'  | 'expected 2 fields [a, b], got 1'
        'a,b\n1,2\n3,x\n'       | ':3'  | "column 'b': not a number: 'x'"
        'a,b\n1,0x1p3\n'        | ':2'  | "column 'b': not a number: '0x1p3'"
        'a,a\n1,2\n'            | ':1'  | "duplicate column name 'a'"
        'a,,c\n'                | ':1'  | "empty column name in header 'a,,c'"
    }

    /** Spreads N(0,1) draws over many orders of magnitude. */
    static double spread(double v) {
        return v * Math.exp(10 * v)
    }

    static class Unserialisable {
        String getBoom() { throw new IllegalStateException('boom') }
    }

    record RunInfo(String name, long seed, List<Double> losses, Map<String, Double> results, Tensor kernel) {}

    def "JSON round-trips records, maps and tensors, written indented with a final newline"() {
        given:
        def info = new RunInfo('relu-net', 7L, [1.5d, 0.25d], [decay_slope: -2.01d],
                Tensor.of([1, 2, 3, 4, 5, 6] as double[], 2, 3))
        Path f = dir.resolve('manifest.json')

        when:
        io.writeJson(f, info)
        RunInfo back = io.readJson(f, RunInfo)
        JsonNode tree = io.readJson(f)

        then:
        Files.readString(f).endsWith('}\n')
        Files.readString(f).contains('\n  "name" : "relu-net"')
        back.name() == 'relu-net' && back.seed() == 7L && back.losses() == [1.5d, 0.25d]
        back.results() == [decay_slope: -2.01d]
        back.kernel().shape() == [2, 3] as int[]
        back.kernel().data() == [1, 2, 3, 4, 5, 6] as double[]
        tree.get('results').get('decay_slope').doubleValue() == -2.01d
        tree.get('kernel').get('shape').toString() == '[2,3]'
    }

    def "invalid JSON is reported with file, line and column on one line"() {
        given:
        Path f = dir.resolve('broken.json')
        Files.writeString(f, '{\n  "a": 1,\n  "b": ]\n}\n')

        when:
        io.readJson(f)

        then:
        ArrayFileException e = thrown()
        e.message.startsWith("$f:3:")
        e.message.contains('invalid JSON')
        !e.message.contains('\n')

        when: 'a tensor whose data does not fit its shape'
        Files.writeString(f, '{"shape": [2, 2], "data": [1, 2, 3]}')
        io.readJson(f, Tensor)

        then:
        ArrayFileException e2 = thrown()
        e2.message.contains('shape [2, 2] needs 4 values but data has 3')
    }

    def "a value Jackson cannot serialise fails before anything is written"() {
        given:
        Path f = dir.resolve('x.json')

        when:
        io.writeJson(f, new Unserialisable())

        then:
        ArrayFileException e = thrown()
        e.message.startsWith("$f: cannot write Unserialisable as JSON")
        Files.list(dir).withCloseable { it.toList() }.isEmpty()
    }
}
