package org.ntkworkbench.plugins.spark

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.dsl.EngineKernels
import org.ntkworkbench.dsl.ModelExpressions
import org.ntkworkbench.io.Npz
import org.ntkworkbench.model.KernelService
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A real standalone cluster started by the test: master + 2 workers (1 core each) as child JVMs on
 * 127.0.0.1. The kernel, a kernel-regression fit, independent tasks and a sweep (a failing point, then
 * resumed) equal the local engine; a worker killed in the middle of a tiled kernel costs only a retry;
 * bad masters and a missing plugin jar fail in one line with nothing written. Features run in order: the
 * last ones kill the workers.
 *
 * <p>Executor JVMs are what make this spec slow (seconds each on an idle machine, a minute or more on a
 * busy one), so every feature up to the worker kill shares one application: the DSL's shared engine
 * (what sweeps use), opened with the spec's tile size through system properties.
 */
class SparkClusterSpec extends Specification {
    static final String MODEL = 'serial(dense(32, bStd: 0.1), relu(), dense(1))'

    @Shared Path state
    @Shared String url
    @Shared Workbench wb
    @Shared SparkEngine engine
    @Shared LocalCluster cluster = new LocalCluster()
    @TempDir Path dir

    def setupSpec() {
        wb = Workbench.start(List.of())
        state = Files.createTempDirectory('ntk-cluster-spec')
        url = cluster.start(state, 2, 1, 1)
        System.setProperty(SparkEngine.TILE, '16')
        System.setProperty('spark.executor.memory', '512m') // SparkConf reads spark.* system properties
        engine = EngineKernels.engine('spark', url) as SparkEngine
    }

    def cleanupSpec() {
        EngineKernels.closeShared()
        System.clearProperty(SparkEngine.TILE)
        System.clearProperty('spark.executor.memory')
        if (state != null) {
            cluster.stop(state)
        }
    }

    static double maxRel(Tensor a, Tensor b) {
        double scale = b.maxAbs(), worst = 0
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]) / scale)
        }
        worst
    }

    def "start gives a loopback URL, records the pids, and both workers register"() {
        expect:
        url ==~ /spark:\/\/127\.0\.0\.1:\d+/
        LocalCluster.pids(state).keySet() as List == ['master', 'worker.0', 'worker.1']
        cluster.status(state).contains('(2 workers registered)')
    }

    /**
     * Listening TCP sockets of process {@code pid} as "address:port" strings, from /proc (no ss or netstat
     * needed): the inodes of its socket descriptors matched against /proc/net/tcp and tcp6 in state LISTEN.
     */
    static List<String> listeners(long pid) {
        def inodes = [] as Set
        Path fds = Path.of('/proc', pid as String, 'fd')
        if (!Files.isDirectory(fds)) {
            return []
        }
        Files.list(fds).withCloseable { it.toList() }.each { fd ->
            try {
                def m = Files.readSymbolicLink(fd).toString() =~ /socket:\[(\d+)\]/
                if (m.matches()) {
                    inodes << m.group(1)
                }
            } catch (IOException ignored) {
                // closed meanwhile
            }
        }
        def out = []
        ['tcp', 'tcp6'].each { proto ->
            Path table = Path.of('/proc/net', proto)
            if (!Files.exists(table)) {
                return
            }
            Files.readAllLines(table).drop(1).each { line ->
                def f = line.trim().split(/\s+/)
                if (f[3] == '0A' && f[9] in inodes) { // 0A: LISTEN
                    out << hexAddress(f[1])
                }
            }
        }
        out
    }

    /** "0100007F:1F90" (little-endian IPv4) or a 32-digit IPv6 as "127.0.0.1:8080", "::ffff:127.0.0.1:8080", "::1:…", "0.0.0.0:…". */
    static String hexAddress(String hex) {
        def (addr, port) = hex.split(':')
        int p = Integer.parseInt(port, 16)
        if (addr.length() == 8) {
            return (0..3).collect { Integer.parseInt(addr.substring(6 - 2 * it, 8 - 2 * it), 16) }.join('.') + ':' + p
        }
        def words = (0..3).collect { addr.substring(8 * it, 8 * it + 8) }
        if (words[0..1].every { it == '00000000' } && words[2] == 'FFFF0000') {
            return '::ffff:' + hexAddress(words[3] + ':' + port)
        }
        if (words[0..2].every { it == '00000000' } && words[3] == '01000000') {
            return '::1:' + p
        }
        return words.join('') + ':' + p
    }

    def "nothing listens on a non-loopback address: master, workers, executors and the driver (this JVM)"() {
        given: 'a job has run, so the executors and the driver\'s block managers are up'
        engine.kernel(MODEL, Tensor.randn(3, 20, 6), null, ['ntk'], null)
        def daemons = LocalCluster.pids(state)
        def executors = daemons.findAll { it.key.startsWith('worker') }.collectMany { role, pid ->
            ProcessHandle.of(pid).map { h -> h.descendants().map { it.pid() }.toList() }.orElse([]) }
        def all = (daemons.values() + executors + [ProcessHandle.current().pid()]).collectEntries { [(it): listeners(it)] }

        expect: 'every process of the cluster listens somewhere (else the check would see nothing), and only on loopback'
        executors.size() >= 2
        daemons.values().every { !all[it].isEmpty() }
        !all[ProcessHandle.current().pid()].isEmpty()
        all.values().flatten().every { String a -> a.startsWith('127.') || a.startsWith('::ffff:127.') || a.startsWith('::1:') }
    }

    def "the tiled kernel on the cluster equals the local engine (1e-12)"() {
        given:
        def x = Tensor.randn(11, 70, 6)
        def net = ModelExpressions.parse(wb, MODEL)
        def local = wb.service(KernelService).analytic(net, x, null)

        when:
        engine.kernelToFile(MODEL, x, null, ['nngp', 'ntk'], null, dir.resolve('k.npz'))
        def k = Npz.read(dir.resolve('k.npz'))

        then:
        maxRel(k.ntk, local.ntk()) <= 1e-12
        maxRel(k.nngp, local.nngp()) <= 1e-12
    }

    def "a fit (conjugate gradients over cached tiles) on the cluster equals a Cholesky kernel regression (1e-8)"() {
        given:
        def xTrain = Tensor.randn(12, 30, 3)
        def xTest = Tensor.randn(13, 9, 3)
        def y = Tensor.randn(14, 30, 1)
        def net = ModelExpressions.parse(wb, MODEL)
        def kTrain = net.kernel(xTrain).ntk()
        double mean = (0..<30).sum { kTrain.get(it, it) } / 30
        def a = kTrain.copy()
        (0..<30).each { a.set(a.get(it, it) + 0.5 * mean, it, it) }
        def alpha = org.ntkworkbench.model.predict.Cholesky.of('ntk', a).solve(y.data().clone(), 1)
        def kTest = net.kernel(xTest, xTrain).ntk()
        def expected = Tensor.of((0..<9).collect { i -> (0..<30).sum { j -> kTest.get(i, j) * alpha[j] } } as double[], 9, 1)

        when:
        def onCluster = engine.fit(MODEL, xTrain, y, xTest, ['ntk'], null, 0.5, 1e-10)

        then:
        maxRel(onCluster.ntk, expected) <= 1e-8
    }

    def "block Krylov top eigenpairs over the cluster's cached tiles equal the local solver's (values 1e-9, vectors up to sign 1e-8)"() {
        given:
        def x = Tensor.randn(9, 60, 4)
        def net = ModelExpressions.parse(wb, MODEL)
        double[] kd = net.kernel(x).ntk().data()
        def local = org.ntkworkbench.spectrum.BlockKrylovEigensolver.solve(org.ntkworkbench.spectrum.SymmetricOperator.dense(kd.clone(), 60),
                4, true, org.ntkworkbench.spectrum.TopKOptions.defaults().withTolerance(1e-12))
        def dense = org.ntkworkbench.tensor.Lapack.syevd(kd.clone(), 60, false).values().toList().sort { -it }

        when:
        def e = engine.topEigen(MODEL, x, 'ntk', null, 4, true, 1e-12)

        then: 'the eigenvalues of the dense solver and the local block Krylov solver; the same eigenvectors'
        (0..<4).every { Math.abs(e.values()[it] - dense[it]) <= 1e-9 * dense[0] }
        (0..<4).every { Math.abs(e.values()[it] - local.values()[it]) <= 1e-9 * dense[0] }
        (0..<4).every { j ->
            double[] u = e.vector(j), v = local.vector(j)
            Math.abs(Math.abs((0..<60).sum { u[it] * v[it] } as double) - 1) <= 1e-8
        }
    }

    def "independent tasks (sweep points) run on the executors, results in order"() {
        expect:
        engine.map(2, new Squares()) == [0, 1]
    }

    def "an unreachable master fails at once in one line (bad input)"() {
        when:
        new SparkEngine('spark://127.0.0.1:1')

        then:
        def e = thrown(IllegalArgumentException)
        e.message == '--master spark://127.0.0.1:1: unreachable (nothing accepts connections there; start one with ntk cluster start)'
    }

    def "a sweep on the cluster: a failing point is recorded failed while the other completes; --resume recomputes only it, results equal"() {
        given: 'each executor re-runs the script for its point; the point width=8 throws while the flag file exists'
        Path flag = Files.writeString(dir.resolve('fail-flag'), '')
        String text = SparkSweepSpec.failing(flag)

        when:
        def failed = SparkSweepSpec.attempt(wb, dir.resolve('b'), text, [engine: 'spark', master: url])

        then:
        failed.exitCode() == 1
        failed.error().endsWith('IllegalStateException: boom at width 8 (point width=8; 1 of 2 points failed, see points/<point>/status.json)')
        SparkSweepSpec.status(failed, 'width=8').status == 'failed'
        (SparkSweepSpec.status(failed, 'width=8').error as String).endsWith('boom at width 8')
        SparkSweepSpec.status(failed, 'width=4').status == 'ok'
        Files.readString(failed.runDir().resolve('log.txt')).contains("to compute on spark $url (2 tasks)")

        when: 'the cause gone, resumed on the cluster'
        Files.delete(flag)
        def resumed = SparkSweepSpec.run(wb, dir.resolve('b'), text, [engine: 'spark', master: url], true)
        def local = SparkSweepSpec.run(wb, dir.resolve('a'), text, [threads: 1])
        def log = Files.readString(resumed.runDir().resolve('log.txt'))

        then:
        resumed.runDir() == failed.runDir()
        log.contains('point width=4 skipped (complete in a previous run)')
        log.contains("1 complete from a previous run, 1 to compute on spark $url (1 task)")
        SparkSweepSpec.results(resumed).keySet().containsAll(['width=4/k01', 'width=8/k01', 'width=4/loss', 'width=8/loss'])
        SparkSweepSpec.results(resumed) == SparkSweepSpec.results(local)
        Files.exists(resumed.runDir().resolve('report.html'))
    }

    def "a worker killed in the middle of a tiled kernel: Spark retries its tiles, the result is the local one"() {
        given:
        def x = Tensor.randn(15, 160, 6)
        def net = ModelExpressions.parse(wb, MODEL)
        def local = wb.service(KernelService).analytic(net, x, null)
        def victim = ProcessHandle.of(LocalCluster.pids(state)['worker.0']).get()
        int seen = 0
        engine.onTile = { Tile t ->
            if (++seen == 3) {
                victim.descendants().forEach { it.destroyForcibly() }
                victim.destroyForcibly()
            }
        }

        when: '10 x 11 / 2 = 55 tiles, the worker dies after the third arrives'
        engine.kernelToFile(MODEL, x, null, ['ntk'], null, dir.resolve('k.npz'))

        then:
        !victim.isAlive()
        seen == 55
        maxRel(Npz.read(dir.resolve('k.npz')).ntk, local.ntk()) <= 1e-12

        cleanup:
        engine.onTile = { }
    }

    def "without the workbench's classes on the executors: one line naming the missing class, nothing written"() {
        given: 'one Spark context per JVM: the shared engine goes first; one executor is enough to fail'
        EngineKernels.closeShared()
        engine = null
        def bare = new SparkEngine(url, [(SparkEngine.SHIP_CLASSES): 'false', 'spark.task.maxFailures': '2', 'spark.cores.max': '1'])

        when:
        bare.kernelToFile(MODEL, Tensor.randn(1, 20, 3), null, ['ntk'], null, dir.resolve('k.npz'))

        then:
        def e = thrown(IllegalStateException)
        e.message.startsWith('the executors cannot load class org.ntkworkbench.')
        !e.message.contains('\n')
        Files.list(dir).toList().isEmpty()

        cleanup:
        bare?.close()
    }

    def "every worker gone: the job is cancelled with a one-line reason, nothing written"() {
        given:
        LocalCluster.pids(state).findAll { it.key.startsWith('worker') }.each { role, pid ->
            ProcessHandle.of(pid).ifPresent { h -> h.descendants().forEach { it.destroyForcibly() }; h.destroyForcibly(); h.onExit().get() }
        }
        def orphan = new SparkEngine(url, [(SparkEngine.EXECUTOR_TIMEOUT): '5'])

        when:
        orphan.kernelToFile(MODEL, Tensor.randn(1, 20, 3), null, ['ntk'], null, dir.resolve('k.npz'))

        then:
        def e = thrown(IllegalStateException)
        e.message.startsWith('no executor alive for 5 s on spark://127.0.0.1:')
        Files.list(dir).toList().isEmpty()

        cleanup:
        orphan?.close()
    }
}
