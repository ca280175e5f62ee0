package org.ntkworkbench.memory

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.io.ArrayFileException
import org.ntkworkbench.io.NpyReader
import org.ntkworkbench.io.NpyWriter
import org.ntkworkbench.io.Npz
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir

class MemoryPlannerSpec extends Specification {
    @TempDir Path dir

    def cleanup() {
        MemoryPlanner.setCurrent(null)
    }

    def "plans in memory, blockwise or refuses, by the estimates against the budget"() {
        given:
        def p = MemoryPlanner.ofBytes(1000)

        expect:
        p.plan('a', 1000, -1) == MemoryPlanner.Mode.IN_MEMORY
        p.plan('a', 1001, 10) == MemoryPlanner.Mode.BLOCKWISE
        p.rowsPerBlock(100, 0.5, 1_000_000) == 5
        p.rowsPerBlock(10_000, 0.5, 7) == 1

        when: 'cannot go blockwise'
        p.plan('the NTK of 9 x 9 examples', 1001, -1)
        then:
        MemoryBudgetException e = thrown()
        e.message.startsWith('the NTK of 9 x 9 examples needs about 1 MB but the memory budget is 1 MB (--memory)')
        e.message.contains('--memory GB') && e.message.contains('NTK_JAVA_OPTS=-Xmx') && e.message.contains('--engine spark')
        !e.message.contains('\n')

        when: 'even one block is too big'
        p.plan('b', 5000, 2000)
        then:
        MemoryBudgetException e2 = thrown()
        e2.neededBytes() == 2000
    }

    def "the default budget is the heap less the margin; --memory above it is refused naming -Xmx"() {
        given:
        long max = Runtime.runtime.maxMemory()

        expect:
        MemoryPlanner.fromHeap().budgetBytes() == max - Math.max(256L << 20, max.intdiv(100) * 15L)
        MemoryPlanner.current().budgetBytes() == MemoryPlanner.fromHeap().budgetBytes()
        MemoryPlanner.ofGigabytes(0.5).budgetBytes() == 500_000_000L

        when:
        MemoryPlanner.ofGigabytes(max / 1e9 * 2)
        then:
        IllegalArgumentException e = thrown()
        e.message.contains('NTK_JAVA_OPTS=-Xmx')

        when:
        MemoryPlanner.ofGigabytes(-1)
        then:
        thrown(IllegalArgumentException)
    }

    def "NPY and NPZ reading ask the planner before allocating; an NPZ entry cannot claim more than it holds"() {
        given:
        Path f = dir.resolve('a.npy')
        NpyWriter.write(f, Tensor.randn(1, 100, 100))
        Path z = dir.resolve('a.npz')
        Npz.write(z, [a: Tensor.randn(2, 100, 100)], true)

        when: 'budget 50 kB < 80 kB'
        MemoryPlanner.setCurrent(MemoryPlanner.ofBytes(50_000))
        NpyReader.read(f)
        then:
        MemoryBudgetException e = thrown()
        e.message.startsWith("$f: array (100, 100) float64 needs about")

        when:
        Npz.read(z, 'a')
        then:
        thrown(MemoryBudgetException)

        when: 'a deflated entry of a few hundred bytes whose header claims 40000 x 40000'
        MemoryPlanner.setCurrent(null)
        Path liar = dir.resolve('liar.npz')
        String h = "{'descr': '<f8', 'fortran_order': False, 'shape': (40000, 40000), }"
        h += ' ' * (64 - (10 + h.length() + 1) % 64) + '\n'
        def img = new ByteArrayOutputStream()
        img.write([0x93, 'N' as char, 'U' as char, 'M' as char, 'P' as char, 'Y' as char, 1, 0] as byte[])
        img.write([h.length() & 0xff, h.length() >> 8] as byte[])
        img.write(h.getBytes('ISO-8859-1'))
        img.write(new byte[64])
        byte[] lied = img.toByteArray()
        liar.toFile().withOutputStream { os ->
            def zip = new java.util.zip.ZipOutputStream(os)
            zip.putNextEntry(new java.util.zip.ZipEntry('x.npy'))
            zip.write(lied)
            zip.finish()
        }
        Npz.read(liar, 'x')
        then:
        ArrayFileException e3 = thrown()
        e3.message.contains('(40000, 40000)')
        e3.message.contains('truncated')
        Files.size(liar) < 400
    }
}
