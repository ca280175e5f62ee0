// Geifman et al. 2022: spectra of the CNTK and CGPK of a 1-D circular conv net on (S^1)^p.
//   ./ntk run scripts/geifman2022/cntk_spectra.groovy [-Ppositions=6] [-Pfilter=2] [-Pdepth=1] [-Pdegrees=10]
//
// Paper claims: eigenfunctions are products of spherical harmonics (here cos/sin of k_j theta_j per
// position); products over positions outside every receptive field have eigenvalue 0; among the
// local products the eigenvalues decay with the total degree, faster for the CGPK than for the CNTK.
// Model: depth x [conv(channels, filter, CIRCULAR), relu()], flatten readout, dense(1). The flatten
// readout makes the kernels exact multi-dot-product kernels (only same-position products <x_j, x'_j>
// enter); with global average pooling cross-position products enter too (see docs/plugins/cnn.md).

int p = param('positions', 6)
int q = param('filter', 2)
int L = param('depth', 1)
int K = param('degrees', 10)
int M = param('resolution', 2 * K + 2)

def net = cnn(dim: 1, channels: 16, filter: q, depth: L, readout: 'flatten', bStd: 0.1)
def fields = receptiveFields(positions: p, filter: q, depth: L)
println "receptive fields (size ${fields[0].size()}): ${fields}"

long t0 = System.nanoTime()
def loc = locality(cnnSpectra(net, positions: p, filter: q, depth: L, degrees: K, resolution: M))
def s = loc.spectra()
println String.format('spectra on a %d^%d angle grid in %.1f s', M.intdiv(2) + 1, p, (System.nanoTime() - t0) / 1e9)

result('cntk_local_decay_slope', loc.localDecaySlope('ntk', 2, K))
result('cgpk_local_decay_slope', loc.localDecaySlope('nngp', 2, K))
result('nonlocal_eigen_max_rel', Math.max(loc.nonlocalMaxRel('ntk'), loc.nonlocalMaxRel('nngp')))
result('receptive_field_size', fields[0].size())

// Per receptive field (the locality word): largest eigenvalue and decay slope of each window's products.
def fieldsNtk = loc.perField('ntk'), fieldsNngp = loc.perField('nngp')
println 'field          CNTK max / max   slope     CGPK max / max   slope'
fieldsNtk.eachWithIndex { f, i ->
    printf('%-14s %-16.6e %-9.3f %-16.6e %-9.3f%n', f.positions().sort().toString(), f.maxRel(), f.decaySlope(),
           fieldsNngp[i].maxRel(), fieldsNngp[i].decaySlope())
}
result('field_max_rel_spread_ntk', fieldsNtk.collect { it.maxRel() }.max() - fieldsNtk.collect { it.maxRel() }.min())
println 'largest |lambda| / max by support (positions with k_j > 0), CNTK:'
loc.maxRelBySupport('ntk').each { sup, v -> printf('  %-16s %.3e%n', sup, v) }

def ntkBest = loc.localMaxByTotalDegree('ntk'), nngpBest = loc.localMaxByTotalDegree('nngp')
println 's    CNTK max local lambda / max   CGPK max local lambda / max'
(0..K).each { k -> printf('%-4d %-28.6e %-28.6e%n', k, ntkBest[k] / s.ntk().maxAbs(), nngpBest[k] / s.nngp().maxAbs()) }

def xs = (1..K).findAll { ntkBest[it] > 0 && nngpBest[it] > 0 }
plot('local_eigenvalues', series: ['CNTK': [xs.collect { it as double }, xs.collect { ntkBest[it] / s.ntk().maxAbs() }],
                                   'CGPK': [xs.collect { it as double }, xs.collect { nngpBest[it] / s.nngp().maxAbs() }]],
     title: "Largest eigenvalue of local products on (S^1)^${p}, filter ${q}, depth ${L}",
     xlabel: 'total degree k_1 + ... + k_p', ylabel: 'lambda / lambda_max', logX: true, logY: true, markers: true)

report(title: 'Geifman et al. 2022: CNTK and CGPK spectra of a circular conv net',
       notes: "Eigenvalues on (S^1)^${p} (uniform measure) by a separable cosine transform on an ${M}-point angle grid. " +
              "Products of harmonics outside every receptive field (windows of ${fields[0].size()} positions) have eigenvalue 0 up to rounding; " +
              'the local ones decay polynomially in the total degree, the CGPK faster than the CNTK.')
