// NTK spectrum of a StyleGAN2 style block against the plain conv block it extends.
//   ./ntk run scripts/stylegan/style_vs_conv.groovy [-Pn=128] [-Psize=4] [-Pchannels=3] [-PstyleDim=8] [-Pwidth=64] [-Pseed=0]
//
// Inputs: n images (size x size, `channels` channels) whose pixels are unit vectors (each pixel on
// S^{c-1}) and n style vectors on S^{D-1}, packed with packStyle for the style models.
// Models (readout: global average pooling, then dense(1)); `lift` is a first conv + leakyRelu that makes
// the features wide, so the style block sees Gaussian features in the limit (docs/plugins/stylegan.md):
//   conv block : lift, conv(width, 3x3, SAME), leakyRelu(0.2)
//   style block: lift, modulatedConv(width, 3x3, s = affine(w)) + noise, leakyRelu(0.2)   (styleBlock)
// Kernels: the analytic (infinite-width) NTK of both (the style block with and without demodulation:
// the product rule, and its many-channel limit for demodulation), and the empirical NTK at `width`
// channels of the style block with and without demodulation. Eigenvalues of K/n, descending; decay
// slope s of lambda_i ~ i^-s fitted (DecayFit) over ranks 2 .. n/2.

import org.ntkworkbench.spectrum.DecayFit

int n = param('n', 128)
int size = param('size', 4)
int c = param('channels', 3)
int dStyle = param('styleDim', 8)
int width = param('width', 64)
int seed = param('seed', 0)

// Unit pixels and unit styles.
def unitRows = { Tensor t, int len ->
    double[] v = t.data()
    for (int r = 0; r < v.length.intdiv(len); r++) {
        double s = 0
        for (int i = 0; i < len; i++) s += v[r * len + i] * v[r * len + i]
        s = Math.sqrt(s)
        for (int i = 0; i < len; i++) v[r * len + i] /= s
    }
    t
}
Tensor x = unitRows(Tensor.randn(seed, n, size, size, c), c)
Tensor w = unitRows(Tensor.randn(seed + 1, n, dStyle), dStyle)
Tensor packed = packStyle(x, w)

def lift = serial(conv(width, filter: [3, 3], padding: 'SAME'), leakyRelu(0.2))
def convNet = serial(lift, conv(width, filter: [3, 3], padding: 'SAME'), leakyRelu(0.2), globalAvgPool(), dense(1))
def styleNet = { boolean demod ->
    serial(styleInput(dim: dStyle), onFeatures(lift), styleBlock(width, demodulate: demod, noiseSeed: 1),
           dropStyle(), globalAvgPool(), dense(1))
}

long t0 = System.nanoTime()
Tensor kConv = convNet.kernel(x).ntk()
Tensor kStyle = styleNet(false).kernel(packed).ntk()
Tensor kDemod = styleNet(true).kernel(packed).ntk()
int[] perExample = [size + 1, size, c] as int[]
def styleFinite = styleNet(false), demodFinite = styleNet(true)
Tensor eStyle = styleFinite.empiricalNtk(styleFinite.init(seed, perExample), packed)
Tensor eDemod = demodFinite.empiricalNtk(demodFinite.init(seed, perExample), packed)
println String.format('kernels in %.1f s', (System.nanoTime() - t0) / 1e9)

def spectrum = { Tensor k -> (eigvalsh(k) as List<Double>).collect { it / n } }
def spectra = ['conv block (analytic NTK)'          : spectrum(kConv),
               'style block (analytic NTK)'         : spectrum(kStyle),
               'style block + demod (analytic NTK)' : spectrum(kDemod),
               ("style block (empirical, width ${width})".toString())        : spectrum(eStyle),
               ("style block + demod (empirical, width ${width})".toString()): spectrum(eDemod)]
int[] ranks = (2..n.intdiv(2)) as int[]
def slope = { List<Double> ev -> DecayFit.fit(ranks, ranks.collect { ev[it - 1] } as double[]) }
def fits = spectra.collectEntries { name, ev -> [name, slope(ev)] }
fits.each { name, f -> printf('%-46s decay slope s = %.3f  (95%% CI %.3f .. %.3f, R^2 %.3f)%n', name, f.exponent(), f.ciLow(), f.ciHigh(), f.rSquared()) }

def keys = spectra.keySet().toList()
result('conv_decay_slope', fits[keys[0]].exponent())
result('style_decay_slope', fits[keys[1]].exponent())
result('style_demod_decay_slope', fits[keys[2]].exponent())
result('style_empirical_decay_slope', fits[keys[3]].exponent())
result('style_demod_empirical_decay_slope', fits[keys[4]].exponent())
result('conv_top_eigen_fraction', spectra[keys[0]][0] / spectra[keys[0]].sum())
result('style_top_eigen_fraction', spectra[keys[1]][0] / spectra[keys[1]].sum())
def relFrob = { Tensor e, Tensor a ->
    double diff = 0, norm = 0
    for (int i = 0; i < a.size(); i++) { diff += (e.data()[i] - a.data()[i]) ** 2; norm += a.data()[i] ** 2 }
    Math.sqrt(diff / norm)
}
result('style_empirical_vs_analytic_rel_frobenius', relFrob(eStyle, kStyle))
result('style_demod_empirical_vs_analytic_rel_frobenius', relFrob(eDemod, kDemod))

List<Double> rankAxis = (1..n).collect { it as double }
plot('ntk_spectra', series: spectra.collectEntries { name, ev -> [name, [rankAxis, ev.collect { Math.max(it / ev[0], 1e-16) }]] },
     title: "NTK eigenvalues (K/n, relative to the largest), n = ${n}, ${size}x${size}x${c} unit pixels",
     xlabel: 'rank i', ylabel: 'lambda_i / lambda_1', logX: true, logY: true, markers: true)

report(title: 'StyleGAN style block vs plain conv block: NTK spectra',
       notes: "Eigenvalues of the NTK Gram matrix over ${n} unit-pixel images (and unit style vectors). " +
              "Decay slopes s of lambda_i ~ i^-s over ranks 2..${n.intdiv(2)}: conv ${String.format('%.3f', fits[keys[0]].exponent())}, " +
              "style ${String.format('%.3f', fits[keys[1]].exponent())}, style with demodulation ${String.format('%.3f', fits[keys[2]].exponent())} (analytic); " +
              "empirical at width ${width}: style ${String.format('%.3f', fits[keys[3]].exponent())}, with demodulation ${String.format('%.3f', fits[keys[4]].exponent())}.")
