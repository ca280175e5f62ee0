// CNN-GP bar of issue 12: a CNN-GP (3 convs 3x3 SAME, relu, flatten readout) on the first nTrain
// Fashion-MNIST training images of 28x28 against FC NNGP/NTK kernels on the same split: accuracy,
// time per stage and peak heap. Kernel regression (GP posterior mean) of one-hot targets with
// diag-reg r * mean(diag K_train) (neural-tangents' default form), through the `dataset` and `predict`
// words; each image standardised to mean 0, variance 1 (the dataset word's default). Run:
//   nice ./ntk run scripts/datasets/cnn_gp_bar.groovy -PnTrain=2000 -PnTest=1000 [-Pdata=DIR holding fashion-mnist/]
// The CNN-GP needs only same-position pairs with a flatten readout (chosen automatically): O(HW) per
// pair of images; its cost is nTrain (nTrain + 1) / 2 + nTest nTrain pairs (result seconds_per_pair_cnn_gp).
import java.lang.management.ManagementFactory

int nTrain = param('nTrain', 2000)
int nTest = param('nTest', 1000)
double diagReg = param('diagReg', 1e-4d)
String data = param('data', '')

def where = data ? [data: data] : [:]
def train = dataset(where + [split: 'train', n: nTrain, sample: 'first', flatten: false], 'fashion-mnist')
def test = dataset(where + [split: 'test', n: nTest, sample: 'first', flatten: false], 'fashion-mnist')
def flat = { Tensor x -> x.reshape(x.dim(0), x.size().intdiv(x.dim(0)) as int) }

def peak = { ->
    ManagementFactory.getMemoryPoolMXBeans().findAll { it.type == java.lang.management.MemoryType.HEAP }
            .sum { it.peakUsage.used } / (1 << 20)
}
def timed = { String what, Closure c ->
    long t0 = System.nanoTime()
    def r = c()
    double s = (System.nanoTime() - t0) * 1e-9
    println String.format('%-28s %8.1f s', what, s)
    [r, s]
}

double w = Math.sqrt(2d), b = 0.05d
def fc = serial(dense(1, wStd: w, bStd: b), relu(), dense(1, wStd: w, bStd: b), relu(), dense(1, wStd: w, bStd: b), relu(), dense(1, wStd: w, bStd: b))
def cnn = serial(conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(),
        conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(),
        conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(), flatten(), dense(1, wStd: w, bStd: b))
println "load: ${new File('/proc/loadavg').text.trim()}; heap max ${Runtime.runtime.maxMemory() >> 20} MiB; " +
        "CNN diagonal spatial chosen: ${cnn.spatialDiagonal().exactByDefault()}"

def (fcOut, tFc) = timed('FC NNGP + NTK (kernels, solves)') {
    predict(fc, flat(train.x()), train.labels(), flat(test.x()), yTest: test.labels(), get: ['nngp', 'ntk'], diagReg: diagReg)
}
def (cnnOut, tCnn) = timed('CNN-GP (kernels, solve)') {
    predict(cnn, train.x(), train.labels(), test.x(), yTest: test.labels(), get: 'nngp', diagReg: diagReg)
}
double pairs = nTrain * (nTrain + 1) / 2d + nTest * (double) nTrain

println String.format('accuracy on %d test images (train %d): FC NNGP %.4f, FC NTK %.4f, CNN-GP %.4f', nTest, nTrain,
        fcOut.accuracy_nngp, fcOut.accuracy_ntk, cnnOut.accuracy_nngp)
println "peak heap ${peak()} MiB; load after: ${new File('/proc/loadavg').text.trim()}"
result('accuracy_fc_nngp', fcOut.accuracy_nngp, "FC NNGP (depth 3) kernel regression, first $nTrain training images")
result('accuracy_fc_ntk', fcOut.accuracy_ntk, "FC NTK (depth 3) kernel regression, first $nTrain training images")
result('accuracy_cnn_gp', cnnOut.accuracy_nngp, "CNN-GP (3 convs 3x3 SAME, flatten) kernel regression, first $nTrain training images")
result('seconds_cnn_gp', tCnn, 'CNN-GP kernels and solve (wall)', unit: 's')
result('seconds_per_pair_cnn_gp', tCnn / pairs, 'CNN-GP wall seconds per pair of images', unit: 's')
result('seconds_fc', tFc, 'FC kernels and solves (wall)', unit: 's')
result('peak_heap_mib', peak(), 'peak heap', unit: 'MiB')
