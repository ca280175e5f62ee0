// Wu et al. 2022: spectral bias of CCP polynomial nets vs a two-layer bias-free ReLU net on S^9.
//   ./ntk run scripts/wu2022/spectral_bias.groovy [-Pn=200] [-Pwidth=2048] [-PfiniteSteps=0] [-Pseed=0] [-Pdegree=3]
//       [-PlrFraction=0.5] [-Plr=0.0016] [-Psteps=30000] [-Pfinite=true]
//   paper scale: -Pn=1000 -Pwidth=32768 -Plr=... -Psteps=30000 -PfiniteSteps=30000 (hours on 2 cores)
//
// Data: n points uniform on S^9 (d = 10), target y = sum_{k in {1,3,4,5,8,12}} 0.1 P_k^(10)(<x, zeta_k>)
// (GegenbauerSum.wu2022).
//
// Finite networks (the headline steps_to_half_k*_ccpN / _relu): the pinet presets ccp(degree: N, width: m) and
// ccp(degree: 1) (the two-layer bias-free ReLU net) trained by full-batch GD on mse, centred (f - f_0 is trained,
// so the random initial function adds no noise to the degree components; degreeResiduals). The per-degree residual
// is the least-squares coefficient of the residual along the target's zonal harmonics P_k(<x, zeta_k>) (zonalFit:
// exactly -0.1 at step 0 for every degree, no cross-talk between the terms). Each finite run takes
// finiteSteps updates (0 = automatic: 2x the linearised degree-8 half time of that net, at most 'steps'). The same
// instrument applied to the linearised prediction of the net's analytic NTK is _ntk_fit, drawn dashed.
//
// Linearised dynamics (the _ntk results): the linearised dynamics of each network's infinite-width NTK
// (ccpKernel(degree: N); degree 1 is the two-layer bias-free ReLU net in the same normalisation) under
// full-batch GD on DESIGN.md's mse: r(t) = V (1 - lr lambda / n)^t V^T r(0), f(0) = 0 (GradientDescentMse).
// Per-degree curves, three ways:
//   term     -- by linearity, the residual of the degree-k term alone, ||V g(t) V^T y_k||: exact, no projection noise
//               (steps_to_half_k*_ntk);
//   zonal    -- the paper's instrument (Cao et al. 2019): the coefficient of the total residual along
//               P_k(<x, zeta_k>), (N(d,k)/n) sum_i r_i P_k(<zeta_k, x_i>);
//   harmonic -- the whole degree-k component of the total residual (HarmonicProjection, unbiased norm);
//               Monte Carlo noise ~ sqrt(2 N(d,k))/n is large for k >= 5 at small n.
// Both nets use the same learning rate: lrFraction x the largest stable rate 2n / lambda_max of the CCP kernel
// (unless -Plr is given). Population prediction: the degree-k part of the target decays as (1 - lr mu_k)^t with the
// Funk-Hecke eigenvalue mu_k, so it halves after ln(1/2) / ln(1 - lr mu_k) steps.
import org.ntkworkbench.data.GegenbauerSum
import org.ntkworkbench.model.predict.GradientDescentMse
import org.ntkworkbench.spectrum.HarmonicProjection
import org.ntkworkbench.tensor.Tensor

int n = param('n', 200)
int width = param('width', 2048)
long finiteStepsGiven = param('finiteSteps', 0)
boolean runFinite = param('finite', true)
long seed = param('seed', 0)
int degreeN = param('degree', 3)
double lrFraction = param('lrFraction', 0.5d)
double lrGiven = param('lr', 0d)
long maxSteps = param('steps', 30000)
int d = 10
def res = [:]
def rec = { String key, value -> res[key] = value; result(key, value) }

def target = GegenbauerSum.wu2022(seed + 1)
int[] ks = target.degrees()
def x = sphere(n, dim: d, seed: seed)
double[][] rows = x.toArray2d()
double[] y = rows.collect { target.applyAsDouble(it) } as double[]
List<double[]> yTerms = (0..<ks.length).collect { i -> def t = target.term(i); rows.collect { t.applyAsDouble(it) } as double[] }
double[][] zetas = target.directions()

def kernels = [ccp: ccpKernel(degree: degreeN), relu: ccpKernel(degree: 1)]
def grams = kernels.collectEntries { name, k -> [name, gram(x) { u, v -> double t = 0; for (int c = 0; c < d; c++) t += u[c] * v[c]; k.ntk(Math.max(-1d, Math.min(1d, t))) }] }
double lrMax = GradientDescentMse.maxStableLearningRate(grams.ccp)
double lr = lrGiven > 0 ? lrGiven : lrFraction * lrMax
println "largest stable lr of the CCP-${degreeN} kernel 2n/lambda_max = ${String.format('%.4g', lrMax)}; both nets use lr = ${String.format('%.4g', lr)}"
rec('lr', lr)
rec('lr_max_stable_ccp', lrMax)
rec('lr_max_stable_relu', GradientDescentMse.maxStableLearningRate(grams.relu))

def proj = new HarmonicProjection(x, ks)
Tensor zero = Tensor.of(new double[n], n, 1)
def rms = { double[] v -> Math.sqrt(v.sum { it * it } / v.length) }

// Residual of the total target and of each term after t discrete GD steps of the linearised model.
def dynamics = grams.collectEntries { name, K ->
    [name, [total: new GradientDescentMse(K, Tensor.of(y, n, 1), lr)] +
            (0..<ks.length).collectEntries { i -> [i, new GradientDescentMse(K, Tensor.of(yTerms[i], n, 1), lr)] }]
}
def residual = { gd, double[] yy, long t -> double[] f = gd.trainDiscrete((int) t, zero).data(); (0..<n).collect { f[it] - yy[it] } as double[] }

def grid = ([0L] + (0..60).collect { Math.round(Math.pow(10, it * Math.log10(maxSteps) / 60)) }).unique() as List<Long>
def curves = [:]
kernels.keySet().each { name ->
    def dyn = dynamics[name]
    def term = [:], zonal = [:], harmonic = [:]
    ks.eachWithIndex { k, i -> term[k] = []; zonal[k] = []; harmonic[k] = [] }
    grid.each { long t ->
        double[] r = residual(dyn.total, y, t)
        ks.eachWithIndex { k, i ->
            term[k] << rms(residual(dyn[i], yTerms[i], t))
            zonal[k] << Math.abs(proj.zonalCoefficient(k, zetas[i], r))
            harmonic[k] << Math.sqrt(Math.max(0d, proj.normSquaredUnbiased(k, r)))
        }
    }
    curves[name] = [term: term, zonal: zonal, harmonic: harmonic]
    ks.eachWithIndex { k, i ->
        int idx = i
        long exact = HarmonicProjection.firstStepBelow({ long t -> rms(residual(dyn[idx], yTerms[idx], t)) } as java.util.function.LongToDoubleFunction, 0.5, maxSteps)
        String tag = name == 'ccp' ? "ccp${degreeN}" : 'relu'
        rec("steps_to_half_k${k}_${tag}_ntk", exact < 0 ? Double.NaN : (double) exact)
        rec("steps_to_half_k${k}_${tag}_ntk_zonal", HarmonicProjection.stepsToFraction(grid as double[], zonal[k] as double[], 0.5))
        rec("steps_to_half_k${k}_${tag}_ntk_harmonic", HarmonicProjection.stepsToFraction(grid as double[], harmonic[k] as double[], 0.5))
    }
}

// Population prediction from the Funk-Hecke eigenvalues (n -> infinity).
def spectra = [ccp: sphereSpectrum(kernels.ccp, dim: d, degrees: 12), relu: sphereSpectrum(kernels.relu, dim: d, degrees: 12)]
spectra.each { name, s ->
    String tag = name == 'ccp' ? "ccp${degreeN}" : 'relu'
    ks.each { k ->
        double mu = s.eigenvalue(k)
        rec("steps_to_half_k${k}_${tag}_population", mu * lr > 0 ? Math.log(0.5) / Math.log1p(-lr * mu) : Double.POSITIVE_INFINITY)
    }
}

println 'linearised NTK dynamics: steps until the degree-k part of the residual halves (term = exact linear split; zonal / harmonic = projections of the total residual)'
println 'k    CCP-' + degreeN + ' term   zonal     harmonic  population | ReLU term   zonal     harmonic  population'
ks.each { k ->
    def row = ["ccp${degreeN}", 'relu'].collectMany { tag -> ['_ntk', '_ntk_zonal', '_ntk_harmonic', '_population'].collect { res["steps_to_half_k${k}_${tag}${it}"] } }
    printf('%-4d ' + ('%-9.4g ' * 4) + '| ' + ('%-9.4g ' * 4) + '%n', ([k] + row) as Object[])
}

// Finite networks trained by GD, per-degree residual by the zonal least-squares fit, next to the linearised
// prediction of the same instrument from each net's analytic NTK (the Gram matrices above).
def finite = [:]
if (runFinite) {
    double[][] zetaRows = zetas
    def nets = [ccp: ccp(degree: degreeN, width: width, dim: d), relu: ccp(degree: 1, width: width, dim: d)]
    nets.each { name, net ->
        String tag = name == 'ccp' ? "ccp${degreeN}" : 'relu'
        double ntkHalf8 = res["steps_to_half_k8_${tag}_ntk"]
        long fSteps = finiteStepsGiven > 0 ? finiteStepsGiven : Math.min(maxSteps, Math.max(100L, (long) Math.ceil(2 * ntkHalf8)))
        long t0 = System.nanoTime()
        def c = degreeResiduals(net, x, y, zonalFit: [ks as List, zetaRows], lr: lr, steps: fSteps, seed: seed + 7,
                                grid: 20, centered: true, ntk: grams[name])
        double secs = (System.nanoTime() - t0) / 1e9
        finite[name] = c
        printf('finite %s (width %d): %d GD steps in %.1f s, final loss %.3g%n', tag, width, fSteps, secs, c.training().finalLoss())
        rec("finite_steps_${tag}", fSteps)
        rec("finite_seconds_${tag}", secs)
        ks.each { k ->
            rec("steps_to_half_k${k}_${tag}", c.stepsToFraction("k${k}", 0.5))
            rec("steps_to_half_k${k}_${tag}_ntk_fit", c.linearisedStepsToFraction("k${k}", 0.5))
            rec("max_deviation_k${k}_${tag}", c.maxRelativeDeviation("k${k}"))
        }
    }
    println "finite networks (width ${width}): steps until the zonal-fit coefficient of degree k halves, network vs linearised NTK, and max |network - NTK| / start"
    println 'k    CCP-' + degreeN + ' net    NTK       maxdev    | ReLU net    NTK       maxdev'
    ks.each { k ->
        def row = ["ccp${degreeN}", 'relu'].collectMany { tag -> ['', '_ntk_fit'].collect { res["steps_to_half_k${k}_${tag}${it}"] } + [res["max_deviation_k${k}_${tag}"]] }
        printf('%-4d ' + ('%-9.4g ' * 3) + '| ' + ('%-9.4g ' * 3) + '%n', ([k] + row) as Object[])
    }
    def labels = (ks as List).collectEntries { k -> ["k${k}".toString(), "k = ${k}".toString()] }
    finite.each { name, c ->
        String label = name == 'ccp' ? "CCP N=${degreeN}" : 'ReLU (2 layers, no bias)'
        plotResiduals("residual_finite_${name}", c, labels: labels,
                      title: "${label}, width ${width}: residual per degree; net solid, NTK dashed",
                      ylabel: '|coefficient along P_k(<x, zeta_k>)|')
    }
    def both = [:]
    double[] sc = finite.ccp.steps().collect { it + 1 } as double[]
    double[] sr = finite.relu.steps().collect { it + 1 } as double[]
    both["CCP N=${degreeN} network".toString()] = [sc as List, finite.ccp.finite('k8') as List, [color: 0]]
    both["CCP N=${degreeN} NTK linearised".toString()] = [sc as List, finite.ccp.linearised('k8') as List, [color: 0, dashed: true]]
    both['ReLU network'] = [sr as List, finite.relu.finite('k8') as List, [color: 1]]
    both['ReLU NTK linearised'] = [sr as List, finite.relu.linearised('k8') as List, [color: 1, dashed: true]]
    plot('residual_k8_finite', series: both, title: "Degree-8 residual (zonal fit), width ${width}: net solid, NTK dashed",
         xlabel: 'GD step + 1', ylabel: '|coefficient along P_8(<x, zeta_8>)|', logX: true, logY: true)
}

double[] steps = grid.collect { Math.max(it, 1) as double } as double[]
['term', 'zonal'].each { kind ->
    kernels.keySet().each { name ->
        String label = name == 'ccp' ? "CCP N=${degreeN}" : 'ReLU (2 layers, no bias)'
        plot("residual_${kind}_${name}", series: (ks as List).collectEntries { k -> ["k = ${k}".toString(), [steps as List, curves[name][kind][k].collect { Math.max(it, 1e-12) }]] },
             title: "${label}: per-degree residual (${kind}), NTK linearised GD, lr ${String.format('%.3g', lr)}, n ${n}",
             xlabel: 'GD step', ylabel: kind == 'term' ? 'rms residual of the degree-k term' : '|zonal coefficient along zeta_k|',
             logX: true, logY: true)
    }
}
def k8series = [:]
k8series["CCP N=${degreeN}".toString()] = [steps as List, curves.ccp.term[8]]
k8series['ReLU'] = [steps as List, curves.relu.term[8]]
plot('residual_k8_compare', series: k8series,
     title: 'Degree-8 residual (term), same lr', xlabel: 'GD step', ylabel: 'rms residual', logX: true, logY: true)

double c8 = res["steps_to_half_k8_ccp${degreeN}_ntk"], r8 = res.steps_to_half_k8_relu_ntk
String finiteNote = runFinite ? "Finite networks (width ${width}, GD, centred): the degree-8 zonal-fit coefficient halves after " +
        "${String.format('%.0f', res["steps_to_half_k8_ccp${degreeN}"])} steps for CCP N=${degreeN} and ${String.format('%.0f', res.steps_to_half_k8_relu)} " +
        "for ReLU (linearised prediction of the same instrument: ${String.format('%.0f', res["steps_to_half_k8_ccp${degreeN}_ntk_fit"])} and " +
        "${String.format('%.0f', res.steps_to_half_k8_relu_ntk_fit)}). " : 'Finite networks were not trained (-Pfinite=false). '
report(title: 'Wu et al. 2022: spectral bias of polynomial nets (finite networks and NTK linearised dynamics)',
       notes: "Paper claim: the CCP net learns high-frequency components faster than a ReLU net (slower NTK eigenvalue decay). " +
              finiteNote +
              "Linearised (n = ${n}, S^9, same lr = ${String.format('%.4g', lr)} = ${lrGiven > 0 ? 'given' : lrFraction + ' x 2n/lambda_max(CCP)'}): " +
              "the degree-8 component halves after ${c8} steps for CCP N=${degreeN} and after ${r8} steps for the ReLU net " +
              "(population prediction ${String.format('%.0f', res["steps_to_half_k8_ccp${degreeN}_population"])} vs ${String.format('%.0f', res.steps_to_half_k8_relu_population)}).")
