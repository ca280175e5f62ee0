// Fashion-MNIST from pixels to infinite-width predictions (issue 12), beside a finite network.
//
// On one seeded, class-stratified subset (each image standardised to mean 0, variance 1):
//   - FC NNGP and FC NTK of serial(dense(w, bStd: 0.1), relu(), dense(w, bStd: 0.1), relu(), dense(1, bStd: 0.1)),
//     t = inf, diag-reg 1e-4 (kernel regression of one-hot targets, class = argmax): the `predict` word;
//   - a CNN-GP: 3 x [conv(1, filter: [3, 3], padding: 'SAME'), relu()], flatten(), dense(1), on the 28x28 images
//     (only same-position pairs are needed with a flatten readout: O(HW) per pair of images), on the first
//     nCnn training images; the FC kernels are also given on that split so the comparison is like for like;
//   - the same FC architecture at width `width`, trained with Adam on softmax cross-entropy on the same images.
// Every model is also fitted on the first quarter and half of its training images (kernel blocks are sliced,
// not recomputed): plots/accuracy_vs_n shows test accuracy against the number of training examples.
//
//   ./ntk run scripts/datasets/fashion_mnist.groovy       (defaults 1000 / 300 images, CNN-GP on 100: a few minutes on 2 cores)
//   ./ntk run scripts/datasets/fashion_mnist.groovy -PnTrain=5000 -PnTest=2000 -PnCnn=2000 -Psteps=2000
//     (issue 12's bar sizes; the CNN-GP at 2000 images takes about 3 min on a quiet 2-core machine since the fused
//      diagonal pass, see docs/benchmarks.md)
// Parameters: nTrain, nTest, nCnn, seed, width, steps, lr, batch, diagReg, data (a folder holding fashion-mnist/).
// Data: Debian's dataset-fashion-mnist package (/usr/share/datasets/fashion-mnist), --data DIR or NTK_DATA;
// without them the dataset word stops with one line saying where to get the files.

int nTrain = param('nTrain', 1000)
int nTest = param('nTest', 300)
int nCnn = param('nCnn', 100)
int seed = param('seed', 0)
int width = param('width', 512)
int steps = param('steps', 400)
double lr = param('lr', 1e-3d)
int batch = param('batch', 128)
double diagReg = param('diagReg', 1e-4d)
String data = param('data', '')
if (nCnn > nTrain) throw new IllegalArgumentException("nCnn = $nCnn must be <= nTrain = $nTrain (the CNN-GP uses the first nCnn training images)")

def where = data ? [data: data] : [:]
def trainSet = dataset(where + [split: 'train', n: nTrain, seed: seed], 'fashion-mnist')
def testSet = dataset(where + [split: 'test', n: nTest, seed: seed], 'fashion-mnist')
def trainImg = dataset(where + [split: 'train', n: nTrain, seed: seed, flatten: false], 'fashion-mnist')
def testImg = dataset(where + [split: 'test', n: nTest, seed: seed, flatten: false], 'fashion-mnist')
int[] yTrain = trainSet.labels(), yTest = testSet.labels()
println "Fashion-MNIST: $nTrain training / $nTest test images (stratified, seed $seed), CNN-GP on the first $nCnn; " +
        "load ${new File('/proc/loadavg').text.trim().split(' ')[0..2].join(' ')}"

def fc = serial(dense(width, bStd: 0.1), relu(), dense(width, bStd: 0.1), relu(), dense(1, bStd: 0.1))
def cnn = serial(conv(1, filter: [3, 3], padding: 'SAME'), relu(), conv(1, filter: [3, 3], padding: 'SAME'), relu(),
        conv(1, filter: [3, 3], padding: 'SAME'), relu(), flatten(), dense(1))

def seconds = [:]
def timed = { String what, Closure c ->
    long t0 = System.nanoTime()
    def r = c()
    seconds[what] = (System.nanoTime() - t0) * 1e-9
    println String.format('  %-34s %7.1f s', what, seconds[what])
    r
}
/** Rows [0, r) and columns [0, c) of a row-major (n1, n2) kernel block. */
def block = { Tensor k, int r, int c ->
    int n2 = k.dim(1)
    double[] out = new double[r * c]
    for (int i = 0; i < r; i++) System.arraycopy(k.data(), i * n2, out, i * c, c)
    Tensor.of(out, r, c)
}
def sizes = { int n -> [Math.max(10, n.intdiv(4)), Math.max(10, n.intdiv(2)), n].unique() }
/** Test accuracy of kernel regression on the first s training examples, from the full blocks. */
def kernelAccuracy = { Tensor kTrain, Tensor kTest, int s ->
    predict(kernel: [train: block(kTrain, s, s), test: block(kTest, kTest.dim(0), s)], yTrain[0..<s] as int[],
            yTest: yTest, diagReg: diagReg).accuracy_kernel
}

// FC kernels: both from one pass (the NTK rule carries the NNGP).
def fcTrain = timed('FC kernels train-train') { kernels.analytic(fc, trainSet.x(), null) }
def fcTest = timed('FC kernels test-train') { kernels.analytic(fc, testSet.x(), trainSet.x()) }
def curves = [:]
curves['FC NNGP'] = sizes(nTrain).collect { [it, kernelAccuracy(fcTrain.nngp(), fcTest.nngp(), it)] }
curves['FC NTK'] = sizes(nTrain).collect { [it, kernelAccuracy(fcTrain.ntk(), fcTest.ntk(), it)] }

// CNN-GP: NNGP only (get: 'nngp' saves the NTK work).
def cnnTrain = timed('CNN-GP kernel train-train') { kernels.analytic(cnn, trainImg.x().rowRange(0, nCnn), null, false) }
def cnnTest = timed('CNN-GP kernel test-train') { kernels.analytic(cnn, testImg.x(), trainImg.x().rowRange(0, nCnn), false) }
curves['CNN-GP'] = sizes(nCnn).collect { [it, kernelAccuracy(cnnTrain.nngp(), cnnTest.nngp(), it)] }

// The finite network: same architecture with 10 outputs, Adam on cross-entropy, from the same seed at each size.
def finite = serial(dense(width, bStd: 0.1), relu(), dense(width, bStd: 0.1), relu(), dense(10, bStd: 0.1))
def finiteAccuracy = { int s ->
    def r = train(finite, trainSet.x().rowRange(0, s), Tensor.of((0..<s).collect { yTrain[it] as double } as double[], s),
            loss: 'xent', optimizer: 'adam', lr: lr, steps: steps, batch: Math.min(batch, s), seed: seed)
    def f = finite.apply(r.params(), testSet.x())
    (0..<nTest).count { i -> (0..<10).max { f.get(i, it) } == yTest[i] } / (double) nTest
}
curves["finite FC (width $width, Adam)"] = timed("finite network, ${sizes(nTrain).size()} trainings") {
    sizes(nTrain).collect { [it, finiteAccuracy(it)] }
}

double accFcNngp = curves['FC NNGP'].last()[1], accFcNtk = curves['FC NTK'].last()[1]
double accCnn = curves['CNN-GP'].last()[1], accFinite = curves["finite FC (width $width, Adam)"].last()[1]
double accFcNngpCnnSplit = kernelAccuracy(fcTrain.nngp(), fcTest.nngp(), nCnn)
double accFcNtkCnnSplit = kernelAccuracy(fcTrain.ntk(), fcTest.ntk(), nCnn)

result('accuracy_fc_nngp', accFcNngp, "FC NNGP kernel regression, $nTrain training images")
result('accuracy_fc_ntk', accFcNtk, "FC NTK kernel regression (GD on mse, t = inf), $nTrain training images")
result('accuracy_finite_fc', accFinite, "finite FC network width $width, Adam lr $lr, $steps steps of batch $batch, xent, $nTrain images")
result('accuracy_cnn_gp', accCnn, "CNN-GP (3 convs 3x3 SAME, flatten) kernel regression, first $nCnn training images")
result('accuracy_fc_nngp_cnn_split', accFcNngpCnnSplit, "FC NNGP on the CNN-GP's $nCnn training images")
result('accuracy_fc_ntk_cnn_split', accFcNtkCnnSplit, "FC NTK on the CNN-GP's $nCnn training images")
result('cnn_gp_seconds_per_pair', (seconds['CNN-GP kernel train-train'] + seconds['CNN-GP kernel test-train']) /
        (nCnn * (nCnn + 1) / 2d + nTest * (double) nCnn), 'wall seconds per pair of images of the CNN-GP kernel', unit: 's')
seconds.each { k, v -> result('seconds_' + k.replaceAll('[^A-Za-z0-9]+', '_').toLowerCase(), v, k + ' (wall)', unit: 's') }

comparison('accuracy', rows: [
        [model: 'FC NNGP (t = inf)', 'training images': nTrain, accuracy: accFcNngp],
        [model: 'FC NTK (t = inf)', 'training images': nTrain, accuracy: accFcNtk],
        [model: "finite FC, width $width, Adam".toString(), 'training images': nTrain, accuracy: accFinite],
        [model: 'FC NNGP (t = inf)', 'training images': nCnn, accuracy: accFcNngpCnnSplit],
        [model: 'FC NTK (t = inf)', 'training images': nCnn, accuracy: accFcNtkCnnSplit],
        [model: 'CNN-GP (3 convs 3x3 SAME, flatten)', 'training images': nCnn, accuracy: accCnn]],
        caption: "Fashion-MNIST test accuracy on $nTest test images (stratified seeded subsets, seed $seed, images standardised).")
plot('accuracy_vs_n', series: curves.collectEntries { k, v -> [(k): [v*.getAt(0), v*.getAt(1)]] }, markers: true,
        title: "Fashion-MNIST: test accuracy ($nTest images) against training images", xlabel: 'training images',
        ylabel: 'test accuracy', logX: true)
println String.format('accuracy: FC NNGP %.4f, FC NTK %.4f, finite FC %.4f (n = %d); CNN-GP %.4f vs FC NNGP %.4f / NTK %.4f (n = %d)',
        accFcNngp, accFcNtk, accFinite, nTrain, accCnn, accFcNngpCnnSplit, accFcNtkCnnSplit, nCnn)
