package org.ntkworkbench.jupyter

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.ntkworkbench.report.RunContext
import spock.lang.IgnoreIf
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The kernel through Jupyter itself: docs/notebooks/quickstart.ipynb executed by Debian's
 * jupyter-nbconvert (with jupyter-client) against a kernel spec that starts {@link KernelMain} on this
 * test's class path; skipped with a note where they are not installed.
 */
class NotebookSpec extends Specification {

    static final String NBCONVERT = '/usr/bin/jupyter-nbconvert'

    @TempDir
    Path dir

    def "kernel.json starts the ntk launcher with the connection file and names the kernel"() {
        when:
        Path spec = KernelSpecs.install(dir.resolve('kernels'), Path.of('/opt/ntk/ntk'))
        def json = new JsonSlurper().parse(spec.resolve('kernel.json').toFile())

        then:
        spec.fileName.toString() == 'ntk-workbench'
        json.argv == ['/opt/ntk/ntk', 'jupyter', 'kernel', '{connection_file}']
        json.display_name == 'NTK Workbench (Groovy)'
        json.language == 'groovy'
        KernelSpecs.kernelsDir(false, dir) == dir.resolve('share/jupyter/kernels')
    }

    def "results show as a table with descriptions and units; plots as PNG with the plot's note"() {
        given:
        Path png = dir.resolve('p.png')
        Files.write(png, [1, 2, 3] as byte[])
        Files.writeString(dir.resolve('p.txt'), 'Left out of the log plot: x\n')

        when:
        def table = NtkKernel.resultsTable([ratio: 1.9d, n: 3], [ratio: new RunContext.ResultInfo('time ratio', 'steps')])
        def plot = NtkKernel.plotDisplay(png)

        then:
        table.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML).toString().contains(
                '<tr><td><code>ratio</code></td><td>1.9</td><td>steps</td><td>time ratio</td></tr>')
        table.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN) == 'ratio = 1.9 steps\nn = 3'
        plot.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG) == Base64.encoder.encodeToString([1, 2, 3] as byte[])
        plot.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN) == 'p.png: Left out of the log plot: x'
    }

    @IgnoreIf(value = { !Files.isExecutable(Path.of(NBCONVERT)) },
            reason = "Debian's jupyter-nbconvert / jupyter-client are not installed: the notebook is not executed")
    def "docs/notebooks/quickstart.ipynb executes in the kernel and its plot cells produce images"() {
        given: 'a kernel spec starting KernelMain with this class path'
        Path kernels = Files.createDirectories(dir.resolve('share/jupyter/kernels/ntk-workbench'))
        String java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def argv = [java, '--enable-native-access=ALL-UNNAMED', '--sun-misc-unsafe-memory-access=allow', '-Djava.awt.headless=true',
                    '-Dsmile.linalg.backend=native',
                    '-cp', System.getProperty('java.class.path'), KernelMain.name, '{connection_file}', dir.resolve('runs').toString()]
        def env = [NTK_NOTEBOOK_QUICK: '1']
        if (System.getenv('LD_LIBRARY_PATH')) {
            env.LD_LIBRARY_PATH = System.getenv('LD_LIBRARY_PATH')
        }
        Files.writeString(kernels.resolve('kernel.json'), groovy.json.JsonOutput.toJson(
                [argv: argv, display_name: NtkKernel.DISPLAY_NAME, language: 'groovy', env: env]))
        Path notebook = Path.of('..', 'docs', 'notebooks', 'quickstart.ipynb')

        when:
        def pb = new ProcessBuilder(NBCONVERT, '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=ntk-workbench',
                '--ExecutePreprocessor.timeout=900', '--ExecutePreprocessor.startup_timeout=300', '--output-dir', dir.toString(),
                '--output', 'executed', notebook.toString()).redirectErrorStream(true)
        pb.environment().put('JUPYTER_PATH', dir.resolve('share/jupyter').toString())
        pb.environment().put('JUPYTER_DATA_DIR', dir.resolve('data').toString())
        pb.environment().put('JUPYTER_RUNTIME_DIR', dir.resolve('runtime').toString())
        Process p = pb.start()
        String log = p.inputStream.text
        boolean done = p.waitFor(1200, TimeUnit.SECONDS)
        if (!done) {
            p.destroyForcibly()
        }

        then:
        done
        assert p.exitValue() == 0: log
        Path executed = dir.resolve('executed.ipynb')
        Files.exists(executed)

        when:
        def nb = new JsonSlurper().parse(executed.toFile())
        def code = nb.cells.findAll { it.cell_type == 'code' }
        def plotCells = code.findAll { it.source.join('').contains('plot(') }
        def outputs = code.collectMany { it.outputs }

        then: 'no errors; every plot cell shows a PNG; results come back as HTML tables'
        !outputs.any { it.output_type == 'error' }
        plotCells.size() == 2
        plotCells.every { c -> c.outputs.any { o -> o.data?.'image/png'?.length() > 1000 } }
        code.any { c -> c.outputs.any { o -> o.data?.'text/html'?.toString()?.contains('<td><code>relu_mu3_over_mu1</code></td>') } }
        and: 'the last cell returns the map of all results, shown as a table'
        code.last().outputs.any { o -> o.output_type == 'execute_result' && o.data.'text/html'.toString().contains('consistency_ntk_rate') }
    }
}
