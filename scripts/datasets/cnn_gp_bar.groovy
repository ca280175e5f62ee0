// CNN-GP bar of issue 12: a CNN-GP (3 convs 3x3 SAME, relu, flatten readout) on the first nTrain
// Fashion-MNIST training images of 28x28 against FC NNGP/NTK kernels on the same split: accuracy,
// time per stage and peak heap. GP posterior mean / kernel regression with one-hot targets and
// diag-reg r * mean(diag K_train) (neural-tangents' default form). Pixels standardised with the
// training mean and standard deviation. Run:
//   nice ./ntk run scripts/datasets/cnn_gp_bar.groovy -PnTrain=2000 -PnTest=1000 [-Pdata=/usr/share/datasets/fashion-mnist]
// (reads the IDX files itself so that it does not depend on the dataset word.)
import java.lang.management.ManagementFactory
import java.util.zip.GZIPInputStream
import org.ntkworkbench.model.predict.Cholesky
import org.ntkworkbench.tensor.Tensor

int nTrain = param('nTrain', 2000)
int nTest = param('nTest', 1000)
double diagReg = param('diagReg', 1e-4d)
String dir = param('data', System.getenv('NTK_DATA') ?: '/usr/share/datasets/fashion-mnist')

def idx = { String name, int n ->
    def f = new File(dir, name)
    if (!f.exists()) throw new IllegalArgumentException("missing ${f}: install Debian's dataset-fashion-mnist or pass -Pdata=DIR")
    def ins = new DataInputStream(new BufferedInputStream(new GZIPInputStream(new FileInputStream(f))))
    int magic = ins.readInt()
    int dims = magic & 0xff
    int[] shape = (0..<dims).collect { ins.readInt() } as int[]
    int per = dims > 1 ? (shape[1..-1].inject(1) { a, b -> a * b }) as int : 1
    double[] v = new double[n * per]
    for (int i = 0; i < v.length; i++) v[i] = ins.readUnsignedByte()
    ins.close()
    [v, per]
}
def (xtr, d) = idx('train-images-idx3-ubyte.gz', nTrain)
def (ytr, _a) = idx('train-labels-idx1-ubyte.gz', nTrain)
def (xte, _b) = idx('t10k-images-idx3-ubyte.gz', nTest)
def (yte, _c) = idx('t10k-labels-idx1-ubyte.gz', nTest)
double mean = (xtr as List).sum() / xtr.length
double sd = Math.sqrt(((xtr as List).collect { (it - mean) * (it - mean) }.sum()) / xtr.length)
def std = { double[] v -> v.collect { (it - mean) / sd } as double[] }
xtr = std(xtr); xte = std(xte)

def oneHot = Tensor.zeros(nTrain, 10)
for (int i = 0; i < nTrain; i++) oneHot.data()[i * 10 + (int) ytr[i]] = 1.0

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
def accuracy = { Tensor kTrain, Tensor kTestTrain ->
    int n = kTrain.dim(0)
    double md = (0..<n).sum { kTrain.data()[it * n + it] } / n
    double[] a = kTrain.data().clone()
    for (int i = 0; i < n; i++) a[i * n + i] += diagReg * md
    def ch = Cholesky.of('train-train', Tensor.of(a, n, n))
    double[] alpha = ch.solve(oneHot.data().clone(), 10)
    int ok = 0
    for (int t = 0; t < nTest; t++) {
        int best = 0; double bv = -Double.MAX_VALUE
        for (int c = 0; c < 10; c++) {
            double s = 0
            for (int j = 0; j < n; j++) s += kTestTrain.data()[t * n + j] * alpha[j * 10 + c]
            if (s > bv) { bv = s; best = c }
        }
        if (best == (int) yte[t]) ok++
    }
    ok / (double) nTest
}

def xTrainFlat = Tensor.of(xtr, nTrain, d), xTestFlat = Tensor.of(xte, nTest, d)
def xTrainImg = Tensor.of(xtr, nTrain, 28, 28, 1), xTestImg = Tensor.of(xte, nTest, 28, 28, 1)
double w = Math.sqrt(2d), b = 0.05d
def fc = serial(dense(1, wStd: w, bStd: b), relu(), dense(1, wStd: w, bStd: b), relu(), dense(1, wStd: w, bStd: b), relu(), dense(1, wStd: w, bStd: b))
def cnn = serial(conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(),
        conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(),
        conv(1, filter: [3, 3], padding: 'SAME', wStd: w, bStd: b), relu(), flatten(), dense(1, wStd: w, bStd: b))
println "load: ${new File('/proc/loadavg').text.trim()}; heap max ${Runtime.runtime.maxMemory() >> 20} MiB; " +
        "CNN diagonal spatial chosen: ${cnn.spatialDiagonal().exactByDefault()}"

def (fcTrain, tFcTrain) = timed('FC kernels train-train') { kernels.analytic(fc, xTrainFlat, null) }
def (fcTest, tFcTest) = timed('FC kernels test-train') { kernels.analytic(fc, xTestFlat, xTrainFlat) }
def (accFcNngp, tA) = timed('FC NNGP solve') { accuracy(fcTrain.nngp(), fcTest.nngp()) }
def (accFcNtk, tB) = timed('FC NTK solve') { accuracy(fcTrain.ntk(), fcTest.ntk()) }
def (cTrain, tCTrain) = timed('CNN-GP train-train') { kernels.analytic(cnn, xTrainImg, null, false) }
def (cTest, tCTest) = timed('CNN-GP test-train') { kernels.analytic(cnn, xTestImg, xTrainImg, false) }
def (accCnn, tC) = timed('CNN-GP solve') { accuracy(cTrain.nngp(), cTest.nngp()) }

println String.format('accuracy on %d test images (train %d): FC NNGP %.4f, FC NTK %.4f, CNN-GP %.4f', nTest, nTrain, accFcNngp, accFcNtk, accCnn)
println "peak heap ${peak()} MiB; load after: ${new File('/proc/loadavg').text.trim()}"
result('accuracy_fc_nngp', accFcNngp)
result('accuracy_fc_ntk', accFcNtk)
result('accuracy_cnn_gp', accCnn)
result('seconds_cnn_gp_kernels', tCTrain + tCTest)
result('seconds_fc_kernels', tFcTrain + tFcTest)
result('peak_heap_mib', peak())
