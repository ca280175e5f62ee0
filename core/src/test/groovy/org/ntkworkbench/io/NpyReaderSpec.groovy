package org.ntkworkbench.io

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import static org.ntkworkbench.io.Fixtures.base
import static org.ntkworkbench.io.Fixtures.npy

class NpyReaderSpec extends Specification {

    @TempDir
    Path dir

    @Unroll
    def "reads #file written by NumPy (dtype #dtype) with values from the generator's formula"() {
        when:
        Tensor t = NpyReader.read(npy(file))
        NpyHeader h = NpyReader.readHeader(npy(file))

        then: 'conversion to double is exact for these values'
        t.shape() == shape as int[]
        t.data() == expected as double[]
        h.dtype() == dtype
        !h.fortranOrder()

        where:
        file            | dtype            | shape     | expected
        'f8_2x3x4.npy'  | NpyDtype.FLOAT64 | [2, 3, 4] | base(24)
        'f4_3x2.npy'    | NpyDtype.FLOAT32 | [3, 2]    | base(6)
        'i8_5.npy'      | NpyDtype.INT64   | [5]       | (0..<5).collect { it * 1000000007L - 3 }
        'i4_2x2.npy'    | NpyDtype.INT32   | [2, 2]    | (0..<4).collect { it - 2 }
        'i2_4.npy'      | NpyDtype.INT16   | [4]       | [-32768, -1, 0, 32767]
        'i1_5.npy'      | NpyDtype.INT8    | [5]       | [-128, -1, 0, 1, 127]
        'u1_4.npy'      | NpyDtype.UINT8   | [4]       | [0, 1, 128, 255]
        'u2_3.npy'      | NpyDtype.UINT16  | [3]       | [0, 1, 65535]
        'u4_3.npy'      | NpyDtype.UINT32  | [3]       | [0, 1, 4294967295L]
        'u8_2.npy'      | NpyDtype.UINT64  | [2]       | [1, Math.pow(2, 63) + Math.pow(2, 11)]
        'b1_6.npy'      | NpyDtype.BOOL    | [6]       | (0..<6).collect { it % 3 == 0 ? 1 : 0 }
        'scalar.npy'    | NpyDtype.FLOAT64 | []        | [3.25]
        'empty_0x3.npy' | NpyDtype.FLOAT64 | [0, 3]    | []
    }

    @Unroll
    def "reads Fortran-order #file into C order"() {
        when:
        Tensor t = NpyReader.read(npy(file))

        then: 'element (i, j, k) is the C-order formula at i*12 + j*4 + k, whatever the file order'
        NpyReader.readHeader(npy(file)).fortranOrder()
        t.shape() == shape as int[]
        t.data() == expected as double[]

        where:
        file                   | shape     | expected
        'fortran_f8_2x3x4.npy' | [2, 3, 4] | base(24)
        'fortran_i4_3x5.npy'   | [3, 5]    | (0..<15).collect { it as double }
    }

    @Unroll
    def "reads format version #major (#file)"() {
        when:
        NpyHeader h = NpyReader.readHeader(npy(file))
        Tensor t = NpyReader.read(npy(file))

        then:
        h.majorVersion() == major
        h.dataOffset() % 64 == 0
        t.shape() == shape as int[]
        t.data() == base(t.size())

        where:
        file            | major | shape
        'f8_2x3x4.npy'  | 1     | [2, 3, 4]
        'v2_f8_2x3.npy' | 2     | [2, 3]
        'v3_f8_2x3.npy' | 3     | [2, 3]
    }

    def "reading from a stream gives the same tensor as reading the file"() {
        expect:
        ['f8_2x3x4.npy', 'f4_3x2.npy', 'fortran_f8_2x3x4.npy', 'b1_6.npy', 'v3_f8_2x3.npy', 'scalar.npy', 'empty_0x3.npy'].every { f ->
            Tensor a = NpyReader.read(npy(f))
            Tensor b = Files.newInputStream(npy(f)).withCloseable { NpyReader.read(it, f) }
            a.shape() == b.shape() && a.data() == b.data()
        }
    }

    @Unroll
    def "refuses #file: #why"() {
        when:
        NpyReader.read(npy(file))

        then:
        ArrayFileException e = thrown()
        e instanceof IOException
        e.message.startsWith(npy(file).toString() + ': ')
        e.message.contains(why)
        !e.message.contains('\n')

        where:
        file                  | why
        'bad_bigendian.npy'   | 'big-endian'
        'bad_object.npy'      | 'object arrays'
        'bad_structured.npy'  | 'structured dtype'
        'bad_complex.npy'     | "unsupported dtype '<c16'"
    }

    def "refuses a file whose data is cut short, naming the expected and present byte counts"() {
        given:
        byte[] whole = Files.readAllBytes(npy('f8_2x3x4.npy'))
        Path cut = dir.resolve('cut.npy')
        Files.write(cut, Arrays.copyOf(whole, whole.length - 5))

        when:
        NpyReader.read(cut)

        then:
        ArrayFileException e = thrown()
        e.message == "$cut: truncated: header says (2, 3, 4) float64 = 192 data bytes but only 187 follow".toString()

        when: 'the stream reader says the same'
        Files.newInputStream(cut).withCloseable { NpyReader.read(it, 'cut') }

        then:
        ArrayFileException e2 = thrown()
        e2.message.contains('truncated') && e2.message.contains('only 187 follow')
    }

    @Unroll
    def "refuses a bad header: #problem"() {
        given:
        Path f = dir.resolve('bad.npy')
        Files.write(f, bytes(content))

        when:
        NpyReader.read(f)

        then:
        ArrayFileException e = thrown()
        e.message.startsWith("$f: ")
        e.message.contains(problem)
        !e.message.contains('\n')

        where:
        content                                                                              | problem
        []                                                                                   | 'empty file'
        'hello world, not numpy'.bytes.toList()                                              | 'not an NPY file'
        magic(1) + [5]                                                                       | 'no header length'
        magic(1) + le16(200) + "{'descr': '<f8'".bytes.toList()                              | 'truncated NPY header'
        magic(4) + le16(10) + ' '.multiply(10).bytes.toList()                                | 'unsupported NPY format version 4.0'
        magic(1) + header("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,), }")       | 'bad NPY header'
        magic(1) + header("{'descr': '<f8', 'shape': (2,), }")                               | 'keys [descr, shape]'
        magic(1) + header("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }")      | 'not a non-negative integer'
        magic(1) + header("{'descr': '<f8', 'fortran_order': False, 'shape': [2], }")        | 'shape is not a tuple'
        magic(1) + header("{'descr': '<f8', 'fortran_order': False, 'shape': (2.5,), }")     | 'bad NPY header'
        magic(1) + header("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296,), }") | 'exceeds'
        magic(1) + header("['descr', '<f8']")                                                | 'not a dict'
        magic(1) + header("{'descr': '<q9', 'fortran_order': False, 'shape': (2,), }")       | "unsupported dtype '<q9'"
    }

    def "accepts old headers with Python 2 long suffixes and double quotes"() {
        given:
        Path f = dir.resolve('old.npy')
        def data = [1.5d, -2.0d]
        def payload = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        data.each { payload.putDouble(it) }
        Files.write(f, bytes(magic(1) + header('{"descr": "<f8", "fortran_order": False, "shape": (2L,)}') + payload.array().toList()))

        expect:
        NpyReader.read(f).data() == [1.5d, -2.0d] as double[]
    }

    def "a missing file or a directory is reported with its name"() {
        when:
        NpyReader.read(dir.resolve('nope.npy'))
        then:
        ArrayFileException e = thrown()
        e.message == "${dir.resolve('nope.npy')}: no such file".toString()

        when:
        NpyReader.read(dir)
        then:
        ArrayFileException e2 = thrown()
        e2.message == "$dir: not a regular file".toString()
    }

    def "a memory-mapped view reads the same rows as the full read"() {
        given:
        Tensor full = NpyReader.read(npy('f8_2x3x4.npy'))

        when:
        MappedNpy m = NpyReader.map(npy('f8_2x3x4.npy'))

        then:
        m.rows() == 2
        m.rowLength() == 12
        m.readRows(1, 1) == Arrays.copyOfRange(full.data(), 12, 24)
        m.readRows(0, 2) == full.data()
        m.get(13) == full.data()[13]

        when:
        m.readRows(1, 2)
        then:
        thrown(IndexOutOfBoundsException)

        when: 'only float64 C order can be mapped'
        NpyReader.map(npy('fortran_f8_2x3x4.npy'))
        then:
        ArrayFileException e = thrown()
        e.message.contains('Fortran order')

        cleanup:
        m?.close()
    }

    // --- helpers building raw NPY bytes ---

    static List<Integer> magic(int major) {
        [0x93, 'N' as char, 'U' as char, 'M' as char, 'P' as char, 'Y' as char, major, 0].collect { it as int }
    }

    static List<Integer> le16(int n) {
        [n & 0xff, (n >> 8) & 0xff]
    }

    /** A version-1 header length and text, padded like NumPy's. */
    static List<Integer> header(String text) {
        int total = text.length() + 1
        total += (64 - (10 + total) % 64) % 64
        String padded = text + ' '.multiply(total - text.length() - 1) + '\n'
        return le16(total) + padded.getBytes('ISO-8859-1').toList().collect { it as int }
    }

    static byte[] bytes(List content) {
        byte[] b = new byte[content.size()]
        content.eachWithIndex { v, i -> b[i] = (byte) (v as int) }
        return b
    }
}
