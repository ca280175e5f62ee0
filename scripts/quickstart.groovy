// NTK Workbench quickstart: a tour. Kernels on the circle and their spectra; then a model's analytic and
// empirical NTK, its spectrum on the sphere, and training against the kernel predictor.
//   ./ntk run scripts/quickstart.groovy [-Pn=256]
//
// The NTK of a two-layer bias-free ReLU net (CCP of degree 1) and of a degree-3 CCP polynomial net
// (Wu et al. 2022), as Gram matrices of n equally spaced points on the circle. For equally spaced
// points, K/n has the Funk–Hecke eigenvalues μ_k of the kernel, each frequency k ≥ 1 twice (cos and sin).

int n = param('n', 256)
def x = circleGrid(n)

def spectrum = { kernel ->
    def K = gram(x) { u, v -> kernel.ntk(u[0] * v[0] + u[1] * v[1]) }
    // K is circulant on a grid, so mu_k is the projection of one row on cos(k theta).
    (0..20).collect { k ->
        double s = 0
        for (int j = 0; j < n; j++) s += K.get(0, j) * Math.cos(2 * Math.PI * k * j / n)
        s / n
    }
}

def reluMu = spectrum(ccpKernel(degree: 1))
def ccp3Mu = spectrum(ccpKernel(degree: 3))

println "k    mu_k(ReLU)      mu_k(CCP-3)"
(0..12).each { k -> printf("%-4d %-15.6e %-15.6e%n", k, reluMu[k], ccp3Mu[k]) }

// The odd eigenvalues of the bias-free two-layer ReLU NTK vanish for k >= 3; the CCP net's do not.
result('relu_mu3_over_mu1', reluMu[3] / reluMu[1], 'ReLU NTK on the circle: mu_3 / mu_1 (0 in exact arithmetic)')
result('ccp3_mu3_over_mu1', ccp3Mu[3] / ccp3Mu[1], 'CCP-3 NTK on the circle: mu_3 / mu_1 (non-zero: odd frequencies are learnable)')
result('relu_mu2_over_mu1', reluMu[2] / reluMu[1], 'ReLU NTK on the circle: mu_2 / mu_1')
result('ccp3_mu2_over_mu1', ccp3Mu[2] / ccp3Mu[1], 'CCP-3 NTK on the circle: mu_2 / mu_1')

def ks = (1..20).collect { it as double }
plot('ntk_spectrum', series: ['ReLU (CCP degree 1)': [ks, reluMu[1..20].collect { Math.abs(it) }],
                              'CCP degree 3'      : [ks, ccp3Mu[1..20].collect { Math.abs(it) }]],
     title: 'NTK eigenvalues on the circle', xlabel: 'frequency k', ylabel: '|mu_k|', logX: true, logY: true, markers: true)

// The same spectrum from LAPACK: every projected mu_k (k <= 10) is an eigenvalue of K/n.
def K3 = gram(x) { u, v -> ccpKernel(degree: 3).ntk(u[0] * v[0] + u[1] * v[1]) }
def lapack = eigvalsh(K3).collect { it / n }
result('lapack_top_eigenvalue', lapack[0], 'largest eigenvalue of K/n for the CCP-3 NTK (LAPACK dsyevd)')
result('lapack_vs_projection_max_rel_err',
       (0..10).collect { k -> lapack.collect { Math.abs(it - ccp3Mu[k]) }.min() / ccp3Mu[0] }.max(),
       'largest distance of a projected mu_k (k <= 10) to the nearest LAPACK eigenvalue, relative to mu_0')

// ---------------------------------------------------------------------------------------------------
// A model end to end: analytic vs empirical NTK, its spectrum on the sphere, training vs the NTK predictor.
// ---------------------------------------------------------------------------------------------------
int width = param('width', 1024)
def net = serial(dense(width, bStd: 0.1), relu(), dense(1))
def xs = sphere(40, dim: 3, seed: 1)

// Analytic NTK against the seed-averaged empirical NTK of finite networks at growing widths.
def check = consistency(net, xs, widths: [128, 512, 2048], seeds: 4)
println check
result('consistency_ntk_rate', check.ntkRate(), 'log-log slope of the empirical-vs-analytic NTK error over width (theory: -0.5)')
result('empirical_vs_analytic_ntk_rel_err_w2048', check.rows().last().ntkRelativeError(),
       'relative Frobenius error of the 4-seed mean empirical NTK at width 2048')

// Funk-Hecke spectrum of the model's NTK on S^2 and its decay.
def spectrumS2 = sphereSpectrum(net, dim: 3, degrees: 30)
def fit = decayFit(spectrumS2, from: 2, to: 30, parity: 'even')
result('ntk_decay_exponent_even_s2', fit.exponent(), 'fitted exponent s of mu_k ~ k^-s over even k in [2, 30] on S^2 (theory: d = 3)')
plot('model_spectrum_s2', x: (1..30).collect { it as double }, y: (1..30).collect { Math.abs(spectrumS2.eigenvalue(it)) },
     title: 'NTK eigenvalues on S^2 of serial(dense, relu, dense)', xlabel: 'degree k', ylabel: '|mu_k|', logX: true, logY: true, markers: true,
     fit: true)

// Gradient descent on a finite network against the NTK's prediction at the same step.
def y = Tensor.zeros(40, 1)
for (int i = 0; i < 40; i++) y.set(Math.sin(3 * xs.get(i, 0)) + xs.get(i, 1) * xs.get(i, 2), i, 0)
def p0 = net.init(0, 3)
double lr = 1.0
int steps = 200
def trained = train(net, xs, y, lr: lr, steps: steps, init: p0)
def f0 = net.apply(p0, xs)
def predicted = new org.ntkworkbench.model.predict.GradientDescentMse(net.empiricalNtk(p0, xs), y, lr).trainDiscrete(steps, f0)
def fT = net.apply(trained.params(), xs)
result('trained_vs_ntk_predictor_rel_err', (fT - predicted).norm() / (fT - f0).norm(),
       'distance of the trained net to its empirical-NTK linearised prediction, relative to its change')
result('train_loss_final', trained.finalLoss(), 'mse after 200 GD steps', unit: 'mse')

report(title: 'Quickstart: a tour of NTK Workbench',
       notes: 'NTK spectra on the circle (bias-free two-layer ReLU vs a degree-3 CCP net: the ReLU kernel has zero odd eigenvalues for k >= 3); a ReLU MLP: analytic vs empirical NTK by width, its spectrum on S^2, and gradient descent against the NTK predictor.')
