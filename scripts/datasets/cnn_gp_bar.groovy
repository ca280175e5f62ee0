// CNN-GP bar of issue 12: a CNN-GP (3 convs 3x3 SAME, relu, flatten readout) on the first nTrain
// Fashion-MNIST training images of 28x28 against the FC NNGP and NTK (depth 3, relu) on the same split:
// accuracy, kernel wall and CPU time, peak heap. Each image standardised to mean 0, variance 1 (the dataset
// word's default, as in the FC runs). Kernel regression of one-hot targets (GP posterior mean, t = inf) with
// diag-reg r * mean(diag K_train) (neural-tangents' form).
//
// diagReg is chosen honestly, the same way for every model: the last nVal of the nTrain training images are
// held out, each r of the grid is fitted on the other nTrain - nVal and scored on them (blocks of K(train,
// train): no extra kernel work), the best r (first in grid order on ties) is then used on all nTrain images
// and the test set. The test set is looked at once per model. Weight/bias std fixed beforehand (wStd sqrt 2,
// bStd 0.05, as in the earlier runs of this script and neural-tangents' ReLU examples).
//
//   nice ./ntk run scripts/datasets/cnn_gp_bar.groovy -PnTrain=2000 -PnTest=2000 [-PnVal=400] [-Pdata=DIR]
//
// The CNN-GP needs only same-position pairs with a flatten readout (chosen automatically) and runs as one
// fused pass per pair of images (DiagonalChain): O(HW) time and no position-pair arrays; it costs
// nTrain (nTrain + 1) / 2 + nTest nTrain pairs (result cpu_us_per_pair_cnn_gp).
import java.lang.management.ManagementFactory
import org.ntkworkbench.fit.ConsoleFitProgress

int nTrain = param('nTrain', 2000)
int nTest = param('nTest', 2000)
int nVal = param('nVal', nTrain.intdiv(5))
String data = param('data', '')
List<Double> grid = [1e-4d, 1e-3d, 1e-2d, 1e-1d]

def where = data ? [data: data] : [:]
def train = dataset(where + [split: 'train', n: nTrain, sample: 'first', flatten: false], 'fashion-mnist')
def test = dataset(where + [split: 'test', n: nTest, sample: 'first', flatten: false], 'fashion-mnist')
def flat = { Tensor x -> x.reshape(x.dim(0), x.size().intdiv(x.dim(0)) as int) }
int[] yTrain = train.labels(), yTest = test.labels()
int nFit = nTrain - nVal
int[] yFit = (yTrain as List)[0..<nFit] as int[], yVal = (yTrain as List)[nFit..<nTrain] as int[]

def os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.operatingSystemMXBean
def peak = { ->
    ManagementFactory.memoryPoolMXBeans.findAll { it.type == java.lang.management.MemoryType.HEAP }
            .sum { it.peakUsage.used } / (1 << 20)
}
String load0 = new File('/proc/loadavg').text.trim()
println "load: $load0; heap max ${Runtime.runtime.maxMemory() >> 20} MiB; cores ${Runtime.runtime.availableProcessors()}"

// One kernel with a progress bar; wall and process CPU seconds.
def kernel = { String what, net, Tensor x1, Tensor x2, boolean ntk ->
    def bar = new ConsoleFitProgress('cnn_gp_bar')
    long n1 = x1.dim(0)
    bar.start(what, (x2 == null ? (n1 * (n1 + 1)).intdiv(2) : n1 * x2.dim(0)) as long)
    long t0 = System.nanoTime(), c0 = os.processCpuTime
    def k = kernels.analytic(net, x1, x2, ntk, { long u -> bar.step(u) } as java.util.function.LongConsumer)
    bar.finish()
    [k, (System.nanoTime() - t0) * 1e-9, (os.processCpuTime - c0) * 1e-9]
}

double w = Math.sqrt(2d), b = 0.05d
def fc = serial(dense(1, wStd: w, bStd: b), relu(), dense(1, wStd: w, bStd: b), relu(), dense(1, wStd: w, bStd: b), relu(),
        dense(1, wStd: w, bStd: b))
def cnn = serial(conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(),
        conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(),
        conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(), flatten(), dense(1, wStd: w, bStd: b))
println "CNN: diagonal spatial chosen ${cnn.spatialDiagonal().exactByDefault()}, fused pass ${cnn.fusesDiagonalReadout()}"

def rows = []
def evaluate = { String name, String key, Tensor ktt, Tensor kst, double kWall, double kCpu, long pairs ->
    Tensor kff = ktt.slice(0, 0, nFit).slice(1, 0, nFit)
    Tensor kvf = ktt.slice(0, nFit, nTrain).slice(1, 0, nFit)
    def val = grid.collect { r -> predict(kernel: [train: kff, test: kvf], yFit, yTest: yVal, diagReg: r).accuracy_kernel }
    int best = val.indexOf(val.max())
    long t0 = System.nanoTime()
    double acc = predict(kernel: [train: ktt, test: kst], yTrain, yTest: yTest, diagReg: grid[best]).accuracy_kernel
    double solve = (System.nanoTime() - t0) * 1e-9
    rows << [name, grid[best], val, acc, kWall, kCpu, kCpu / pairs * 1e6, solve]
    result("accuracy_$key", acc, "$name: test accuracy, first $nTrain train / first $nTest test images, diagReg ${grid[best]} chosen on $nVal held-out training images")
    result("diag_reg_$key", grid[best], "$name: diagReg chosen on the held-out training images (grid $grid)")
    result("validation_accuracy_$key", val.max(), "$name: best held-out accuracy over the grid")
}

long pairs = (nTrain * (long) (nTrain + 1)).intdiv(2) + nTest * (long) nTrain
def (fcTrain, fcTrainWall, fcTrainCpu) = kernel('FC K(train,train)', fc, flat(train.x()), null, true)
def (fcTest, fcTestWall, fcTestCpu) = kernel('FC K(test,train)', fc, flat(test.x()), flat(train.x()), true)
evaluate('FC NNGP (depth 3)', 'fc_nngp', fcTrain.nngp(), fcTest.nngp(), fcTrainWall + fcTestWall, fcTrainCpu + fcTestCpu, pairs)
evaluate('FC NTK (depth 3)', 'fc_ntk', fcTrain.ntk(), fcTest.ntk(), fcTrainWall + fcTestWall, fcTrainCpu + fcTestCpu, pairs)
fcTrain = null
fcTest = null

def (cTrain, cTrainWall, cTrainCpu) = kernel('CNN-GP K(train,train)', cnn, train.x(), null, false)
def (cTest, cTestWall, cTestCpu) = kernel('CNN-GP K(test,train)', cnn, test.x(), train.x(), false)
evaluate('CNN-GP (3 conv 3x3 SAME)', 'cnn_gp', cTrain.nngp(), cTest.nngp(), cTrainWall + cTestWall, cTrainCpu + cTestCpu, pairs)

println ''
println String.format('%-26s %8s %-30s %8s %10s %10s %12s %8s', 'model', 'diagReg', 'held-out acc (grid ' + grid + ')', 'test acc',
        'kernel s', 'kernel CPU', 'CPU us/pair', 'solve s')
rows.each { r ->
    println String.format('%-26s %8.0e %-30s %8.4f %10.1f %10.1f %12.2f %8.1f', r[0], r[1],
            r[2].collect { String.format('%.3f', it) }.join(' '), r[3], r[4], r[5], r[6], r[7])
}
double cnnAcc = rows[2][3], fcBest = Math.max(rows[0][3] as double, rows[1][3] as double)
println String.format('bar (b): CNN-GP %.4f vs best FC %.4f: %s', cnnAcc, fcBest, cnnAcc > fcBest ? 'BEATS the FC kernels' : 'does NOT beat the FC kernels')
println "train $nTrain (first, last $nVal held out for diagReg), test $nTest (first); peak heap ${peak()} MiB of " +
        "${Runtime.runtime.maxMemory() >> 20} MiB; load before: $load0; after: ${new File('/proc/loadavg').text.trim()}"
result('cnn_gp_beats_fc', cnnAcc > fcBest ? 1 : 0, 'bar (b): 1 when the CNN-GP test accuracy is above both FC kernels')
result('seconds_kernel_cnn_gp', cTrainWall + cTestWall, 'CNN-GP kernels (wall)', unit: 's')
result('cpu_seconds_kernel_cnn_gp', cTrainCpu + cTestCpu, 'CNN-GP kernels (process CPU)', unit: 's')
result('cpu_us_per_pair_cnn_gp', (cTrainCpu + cTestCpu) / pairs * 1e6, 'CNN-GP process CPU microseconds per pair of images', unit: 'us')
result('peak_heap_mib', peak(), 'peak heap', unit: 'MiB')
