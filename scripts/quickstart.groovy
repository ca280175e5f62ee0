// NTK Workbench quickstart: kernels on the circle and their spectra.
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

def relu = spectrum(ccpKernel(degree: 1))
def ccp3 = spectrum(ccpKernel(degree: 3))

println "k    mu_k(ReLU)      mu_k(CCP-3)"
(0..12).each { k -> printf("%-4d %-15.6e %-15.6e%n", k, relu[k], ccp3[k]) }

// The odd eigenvalues of the bias-free two-layer ReLU NTK vanish for k >= 3; the CCP net's do not.
result('relu_mu3_over_mu1', relu[3] / relu[1])
result('ccp3_mu3_over_mu1', ccp3[3] / ccp3[1])
result('relu_mu2_over_mu1', relu[2] / relu[1])
result('ccp3_mu2_over_mu1', ccp3[2] / ccp3[1])

def ks = (1..20).collect { it as double }
plot('ntk_spectrum', series: ['ReLU (CCP degree 1)': [ks, relu[1..20].collect { Math.abs(it) }],
                              'CCP degree 3'      : [ks, ccp3[1..20].collect { Math.abs(it) }]],
     title: 'NTK eigenvalues on the circle', xlabel: 'frequency k', ylabel: '|mu_k|', logX: true, logY: true, markers: true)

// The same spectrum from LAPACK: every projected mu_k (k <= 10) is an eigenvalue of K/n.
def K3 = gram(x) { u, v -> ccpKernel(degree: 3).ntk(u[0] * v[0] + u[1] * v[1]) }
def lapack = eigvalsh(K3).collect { it / n }
result('lapack_top_eigenvalue', lapack[0])
result('lapack_vs_projection_max_rel_err',
       (0..10).collect { k -> lapack.collect { Math.abs(it - ccp3[k]) }.min() / ccp3[0] }.max())

report(title: 'Quickstart: NTK spectra on the circle',
       notes: 'Bias-free two-layer ReLU NTK vs the degree-3 CCP polynomial net: the ReLU kernel has zero odd eigenvalues for k >= 3.')
