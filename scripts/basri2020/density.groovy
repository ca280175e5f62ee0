// Basri et al. 2020: frequency bias under non-uniform density on the circle.
//   ./ntk run scripts/basri2020/density.groovy [-Pn=734] [-Pfrequency=6] [-Pseed=0]
//
// Data on S^1 with a piecewise-constant density over three equal arcs in ratio 4 : 2 : 1, target a pure
// harmonic sin(k theta). Training follows the linearised dynamics of the two-layer ReLU NTK with bias
// (Basri's k(x, z) = (x.z + 1)(pi - arccos x.z) / 4pi): the residual is r(t) = V exp(-eta Lambda t / n) V^T r(0)
// (DESIGN.md's mse, gradient flow). The convergence time of a point is the first time its residual falls
// below a fraction of its start; the paper measures median times about 1 : 1.96 : 3.89 (width 4000).

int n = param('n', 734)
int freq = param('frequency', 6)
long seed = param('seed', 0)
double lr = param('lr', 1.0d)
double threshold = param('threshold', 0.1d)

def sample = circle(n, density: [4, 2, 1], seed: seed)
double[] theta = sample.angles()
def basri = { double t -> (t + 1) * (Math.PI - Math.acos(Math.max(-1d, Math.min(1d, t)))) / (4 * Math.PI) }
def K = gram(sample.points()) { u, v -> basri(u[0] * v[0] + u[1] * v[1]) }
def eig = spectra.eigh(K.data(), n, true)

// Residual at time t: r(t) = V diag(exp(-lr lambda t / n)) V^T y, with y = sin(freq theta), f(0) = 0.
double[] y = theta.collect { Math.sin(freq * it) } as double[]
def V = Tensor.of(eig.vectors(), n, n)
double[] coeff = V.transpose().matmul(Tensor.of(y, n, 1)).data()
def residualAt = { double t ->
    double[] c = new double[n]
    for (int j = 0; j < n; j++) c[j] = coeff[j] * Math.exp(-lr * Math.max(eig.values()[j], 0d) * t / n)
    V.matmul(Tensor.of(c, n, 1)).data()
}

// First time (on a log grid) at which |r_i(t)| < threshold * max(|y_i|, 0.1): points at zero crossings start small.
def times = (0..<160).collect { Math.pow(10, 0.5 + it * 0.04) }
double[] converged = new double[n]
java.util.Arrays.fill(converged, Double.NaN)
for (double t : times) {
    double[] r = residualAt(t)
    for (int i = 0; i < n; i++) {
        if (Double.isNaN(converged[i]) && Math.abs(r[i]) < threshold * Math.max(Math.abs(y[i]), 0.1)) converged[i] = t
    }
    if (!converged.any { Double.isNaN(it) }) break
}
def median = { List<Double> v -> def s = v.sort(); s.size() % 2 ? s[s.size().intdiv(2)] : (s[s.size().intdiv(2) - 1] + s[s.size().intdiv(2)]) / 2 }
def perRegion = (0..2).collect { piece ->
    def ts = (0..<n).findAll { sample.pieces()[it] == piece && !Double.isNaN(converged[it]) }.collect { converged[it] }
    ts ? median(ts) : Double.NaN
}
println "median convergence time per region (density 4 : 2 : 1): ${perRegion.collect { String.format('%.1f', it) }}"
result('median_time_dense', perRegion[0])
result('median_time_half', perRegion[1])
result('median_time_quarter', perRegion[2])
result('time_ratio_half', perRegion[1] / perRegion[0])
result('time_ratio_quarter', perRegion[2] / perRegion[0])
result('unconverged_points', converged.count { Double.isNaN(it) } as int)

// Eigenfunctions of the density-weighted operator (Nystrom extension of the Gram eigenvectors to a fine
// grid) and their local frequency per region: it should scale like sqrt(density), i.e. 2 : sqrt(2) : 1.
def order = (0..<n).toList().sort { theta[it] }
double[] sortedTheta = order.collect { theta[it] } as double[]
def nystrom = org.ntkworkbench.spectrum.Nystrom.fitCircle(theta, { double t -> basri(t) } as java.util.function.DoubleUnaryOperator, 60, spectra)
double[] fine = (0..<4000).collect { 2 * Math.PI * it / 4000 } as double[]
def regionFreq = { int j ->
    double[] v = nystrom.eigenfunctionOnCircle(j, fine)
    (0..2).collect { piece ->
        org.ntkworkbench.spectrum.Nystrom.localFrequency(fine, v, 2 * Math.PI * piece / 3, 2 * Math.PI * (piece + 1) / 3)
    }
}
def f40 = regionFreq(40)
println "local frequency of eigenfunction 40 per region: ${f40.collect { String.format('%.2f', it) }}"
result('eigenfunction40_frequency_ratio_dense_over_quarter', f40[0] / f40[2])
result('eigenfunction40_frequency_ratio_dense_over_half', f40[0] / f40[1])

plot('convergence_time', series: ['convergence time': [sortedTheta as List, order.collect { converged[it] }]],
     title: "Convergence time of sin(${freq} theta), density 4 : 2 : 1 over three arcs", xlabel: 'theta', ylabel: 'time', markers: true, logY: true)
plot('eigenfunction_40', series: ['eigenfunction 40': [fine as List, nystrom.eigenfunctionOnCircle(40, fine) as List]],
     title: 'Eigenfunction 40 of the density-weighted NTK operator (Nystrom)', xlabel: 'theta', ylabel: 'value')
report(title: 'Basri et al. 2020: frequency bias under non-uniform density',
       notes: "Linearised dynamics of the two-layer ReLU NTK with bias. Paper (trained width-4000 networks): median time ratios about 1 : 1.96 : 3.89; measured here: 1 : ${String.format('%.2f', perRegion[1] / perRegion[0])} : ${String.format('%.2f', perRegion[2] / perRegion[0])}.")
