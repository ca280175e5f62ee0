package org.ntkworkbench.cli

import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The launcher's training run for the kernel AOT cache (AotTraining, run in this JVM): it runs the real kernel command on
 * its synthetic inputs, a core-word model at the full training size and a plugin-word model at a few rows, and leaves
 * nothing behind in its temporary directory's parent.
 */
class AotTrainingSpec extends Specification {

    @TempDir
    Path tmp

    /** Runs AotTraining with {@code args} under {@code tmp}: [exit code, stderr]. */
    List train(String... args) {
        PrintStream saved = System.err
        def err = new ByteArrayOutputStream()
        System.setErr(new PrintStream(err, true))
        try {
            int code = AotTraining.run(tmp, args)
            return [code, err.toString()]
        } finally {
            System.setErr(saved)
        }
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
        and:
        Files.list(tmp).count() == 0
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
}
