// CPU cost per pair of 28x28 images of the CNN-GP kernel of cnn_gp_bar.groovy (3 convs 3x3 SAME, relu,
// flatten; NNGP), layer by layer (each layer's rule on whole (n1, n2, 28, 28) diagonal-layout arrays) and by the
// fused per-pair pass (DiagonalChain, what net.kernel uses), on one thread each (a one-thread ForkJoinPool, so
// the rules' parallel rows stay on it), after a warm-up; and the largest relative difference of the two.
//   ./ntk run scripts/datasets/cnn_gp_pair_cost.groovy [-Pn=24] [-Preps=3]
import java.lang.management.ManagementFactory
import java.util.concurrent.Callable
import java.util.concurrent.ForkJoinPool
import org.ntkworkbench.kernel.Kernel
import org.ntkworkbench.kernel.Padding

int n = param('n', 24)
int reps = param('reps', 3)
double w = Math.sqrt(2d), b = 0.05d
def net = serial(conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(),
        conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(),
        conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(), flatten(), dense(1, wStd: w, bStd: b))
Tensor x1 = Tensor.randn(1, n, 28, 28, 1), x2 = Tensor.randn(2, n, 28, 28, 1)
def bean = ManagementFactory.threadMXBean
def pool = new ForkJoinPool(1)
def cpuPerPair = { Closure c ->
    pool.submit({
        long t0 = bean.currentThreadCpuTime
        def r = c()
        [(bean.currentThreadCpuTime - t0) * 1e-3 / (n * n), r]
    } as Callable).get()
}
def layerByLayer = { net.kernel(Kernel.fromInputs(x1, x2, true, false)) }
def fused = { net.kernel(x1, x2, false, null) }
String load0 = new File('/proc/loadavg').text.trim()
def g = null, f = null
double tg = Double.MAX_VALUE, tf = Double.MAX_VALUE
(0..reps).each { rep ->   // rep 0 is the warm-up
    def (a, ka) = cpuPerPair(layerByLayer)
    def (c, kc) = cpuPerPair(fused)
    if (rep > 0) {
        tg = Math.min(tg, a)
        tf = Math.min(tf, c)
    }
    g = ka
    f = kc
}
pool.shutdown()
double[] gd = g.nngp().data(), fd = f.nngp().data()
double diff = (0..<gd.length).collect { Math.abs(gd[it] - fd[it]) }.max() / (0..<gd.length).collect { Math.abs(gd[it]) }.max()
println String.format('CNN-GP NNGP, %d x %d pairs of 28x28 images, CPU us/pair (best of %d): layer by layer %.1f, fused %.1f, speed-up %.1fx; max rel diff %.2e; load %s',
        n, n, reps, tg, tf, tg / tf, diff, load0)
result('cpu_us_per_pair_layer_by_layer', tg, 'CNN-GP NNGP CPU us per pair, layer-by-layer rules', unit: 'us')
result('cpu_us_per_pair_fused', tf, 'CNN-GP NNGP CPU us per pair, fused diagonal pass', unit: 'us')
result('max_rel_diff', diff, 'fused vs layer by layer, max |difference| / max |K|')
