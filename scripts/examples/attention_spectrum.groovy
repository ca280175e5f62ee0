// NTK spectrum of a small self-attention model against an MLP's, on the same sequences.
//   ./ntk run scripts/examples/attention_spectrum.groovy [-Pn=96] [-Plength=8] [-Pchannels=4] [-Pseeds=4]
//
// Data: n sequences (n, length, channels), each position uniform on S^{channels-1} (`signals`).
// Models (analytic infinite-width NTKs; widths only matter for the finite-network check):
//   attention  serial(dense(w), relu(), globalSelfAttention(w, heads: 4), relu(), globalAvgPool(), dense(1))
//              (position-wise dense = a filter-1 conv; softmax attention, linear scaling, the infinite-head limit)
//   mlp        serial(flatten(), dense(w), relu(), dense(w), relu(), dense(1))
// Measured: the eigenvalues of K/n (descending) for both, their fitted log-log decay, the share of the top
// eigenvalue and the effective rank (Σλ)²/Σλ²; the kernels' sensitivity to permuting the positions (attention +
// global average pooling is permutation invariant, the MLP is not); and, as a check of the attention kernel, the
// relative error of the seed-averaged empirical NTK of a finite attention model (monteCarloKernel) against it.
int n = param('n', 96)
int length = param('length', 8)
int channels = param('channels', 4)
int seeds = param('seeds', 4)
int width = param('width', 256)

def x = signals(n, positions: length, channels: channels, seed: 1)
def attention = { int w -> serial(dense(w), relu(), globalSelfAttention(w, heads: 4), relu(), globalAvgPool(), dense(1)) }
def mlp = { int w -> serial(flatten(), dense(w), relu(), dense(w), relu(), dense(1)) }

Map spectra = [:]
[attention: attention(width), mlp: mlp(width)].each { name, net ->
    def k = net.kernel(x).ntk()
    double[] mu = eigvalsh(k).collect { it / n } as double[]
    double sum = mu.sum(), sq = mu.sum { it * it }
    spectra[name] = mu
    result("${name}_top_share", mu[0] / sum, "largest eigenvalue of the $name NTK over the trace")
    result("${name}_effective_rank", sum * sum / sq, "(sum of eigenvalues)^2 / sum of squares, $name NTK")
    // Least-squares slope of log mu_k against log k over k = 2..40 (eigenvalues above 1e-13 mu_1 only).
    List<Integer> ks = (2..Math.min(40, n)).findAll { int kk -> mu[kk - 1] > 1e-13 * mu[0] }
    double mx = ks.sum { Math.log(it) } / ks.size(), my = ks.sum { Math.log(mu[it - 1]) } / ks.size()
    double slope = ks.sum { (Math.log(it) - mx) * (Math.log(mu[it - 1]) - my) } / ks.sum { (Math.log(it) - mx) ** 2 }
    result("${name}_decay", slope, "fitted exponent e of eigenvalue k ~ k^e over k = 2..40, $name NTK")
}

// Permutation sensitivity: K(x, πx) against K(x, x) with the positions of every example reversed.
def reversed = Tensor.zeros(n, length, channels)
for (int i = 0; i < n; i++) for (int p = 0; p < length; p++) for (int c = 0; c < channels; c++) {
    reversed.set(x.get(i, length - 1 - p, c), i, p, c)
}
[attention: attention(width), mlp: mlp(width)].each { name, net ->
    def k = net.kernel(x).ntk(), kr = net.kernel(x, reversed).ntk()
    result("${name}_permutation_change", (kr - k).norm() / k.norm(), "||K(x, reversed x) - K(x, x)|| / ||K(x, x)||, $name NTK")
}

// The attention kernel against finite networks: seed-averaged empirical NTK on the first 12 sequences.
def xs = x.rowRange(0, 12)
def mc = monteCarloKernel(attention(width), xs, seeds: seeds, get: 'ntk')
def exact = attention(width).kernel(xs).ntk()
result('attention_mc_rel_err', (mc.ntk.mean - exact).norm() / exact.norm(),
        "relative error of the $seeds-seed empirical NTK of width-$width attention models against the analytic NTK")

int shown = Math.min(60, n)
plot('ntk_spectra', series: [attention: [(1..shown).toList(), spectra.attention.toList().take(shown)],
                             mlp      : [(1..shown).toList(), spectra.mlp.toList().take(shown)]],
     logX: true, logY: true, title: 'NTK eigenvalues of K/n: softmax attention vs MLP', xlabel: 'index k', ylabel: 'eigenvalue')
report(title: 'Attention vs MLP NTK spectra',
       notes: "n = $n sequences of length $length with $channels channels; analytic infinite-width NTKs; finite check at width $width.")
