package org.ntkworkbench.cli

import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The launcher's training run for the kernel AOT cache (AotTraining, run in this JVM): it runs the real kernel command on
 * its synthetic inputs, a core-word model at the full training size and a plugin-word model at a few rows, and leaves
 * nothing behind: not its temporary directory, nor its outputs' lock files.
 */
class AotTrainingSpec extends Specification {

    @TempDir
    Path tmp

    /** The temporary folder the commands see (java.io.tmpdir: the shared output-lock folder goes there). */
    @TempDir
    Path javaTmp

    /** Runs AotTraining with {@code args} under {@code tmp}, java.io.tmpdir set to {@code javaTmp}: [exit code, stderr]. */
    List train(String... args) {
        PrintStream saved = System.err
        String savedTmp = System.getProperty('java.io.tmpdir')
        def err = new ByteArrayOutputStream()
        System.setErr(new PrintStream(err, true))
        System.setProperty('java.io.tmpdir', javaTmp.toString())
        try {
            int code = AotTraining.run(tmp, args)
            return [code, err.toString()]
        } finally {
            System.setErr(saved)
            System.setProperty('java.io.tmpdir', savedTmp)
        }
    }

    /** Every file under {@code dir}, relative. */
    static List<String> files(Path dir) {
        Files.walk(dir).filter { Files.isRegularFile(it) }.map { dir.relativize(it).toString() }.toList()
    }

    def "kernel: both commands run and succeed; the temporary directory is gone afterwards"() {
        when:
        def (code, err) = train('kernel')

        then: 'the core-word model at the training size, then the plugin-word model'
        code == 0
        def lines = err.readLines().findAll { it.startsWith('ntk kernel: ') }
        lines.size() == 2
        lines[0].startsWith("ntk kernel: nngp,ntk [${AotTraining.KERNEL_ROWS}, ${AotTraining.KERNEL_ROWS}] (analytic) -> ${tmp}/ntk-aot-training-")
        lines[0].endsWith('/core.npz')
        lines[1].startsWith('ntk kernel: nngp,ntk [20, 20] (analytic) -> ')
        and: 'only the core model calls core words alone (core-only workbench); the other needs pinet, so the full workbench starts'
        org.ntkworkbench.dsl.ModelExpressions.read(AotTraining.CORE_MODEL).callsOnly(org.ntkworkbench.runtime.Workbench.coreWordNames())
        !org.ntkworkbench.dsl.ModelExpressions.read(AotTraining.PLUGIN_MODEL).callsOnly(org.ntkworkbench.runtime.Workbench.coreWordNames())
        and: 'nothing left: not the directory, nor the lock files its outputs had in the shared lock folder'
        Files.list(tmp).count() == 0
        Files.isDirectory(javaTmp.resolve('ntk-output-locks-' + System.getProperty('user.name')))
        files(javaTmp) == []
    }

    def "anything but kernel is refused with one line and exit code 2, nothing written"() {
        when:
        def (code, err) = train(args as String[])

        then:
        code == 2
        err.readLines().size() == 1
        err.startsWith('ntk: AotTraining: expected the subcommand to train (kernel)')
        Files.list(tmp).count() == 0

        where:
        args << [[], ['eigen'], ['kernel', 'extra']]
    }

    def "a training directory left by a killed training is swept by the next one; a live process's and foreign ones stay"() {
        given: 'a process that has exited (its pid is free), and one that is alive'
        def dead = new ProcessBuilder('true').start()
        dead.waitFor()
        def alive = new ProcessBuilder('sleep', '60').start()
        Path killed = Files.createDirectories(tmp.resolve("${AotTraining.PREFIX}${dead.pid()}-123"))
        Files.write(killed.resolve('core.npz'), new byte[1000])
        Path running = Files.createDirectories(tmp.resolve("${AotTraining.PREFIX}${alive.pid()}-456"))
        Path foreign = Files.createDirectories(tmp.resolve("${AotTraining.PREFIX}notapid"))

        when:
        AotTraining.sweepLeftovers(tmp)

        then:
        !Files.exists(killed)
        Files.isDirectory(running)
        Files.isDirectory(foreign)

        cleanup:
        alive?.destroy()
    }
}
