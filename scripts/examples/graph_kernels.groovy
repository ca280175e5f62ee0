// Graph kernels with a graph per example (neural-tangents' Aggregate with `pattern`; the graph NTK of Du et al. 2019).
//   ./ntk run scripts/examples/graph_kernels.groovy [-Pn=8] [-Pnodes=7] [-Pseeds=8] [-Pwidth=256]
//
// n random undirected graphs of 3..nodes nodes (2 features per node), in one batch: node features padded with NaN to
// `nodes`, adjacency patterns (n, nodes, nodes) padded with zero rows/columns (self-loops on the real nodes, as GNTK).
// aggregate() sums each node's neighbours using its own example's graph; with maskConstant: NaN the padded nodes are
// inert, so each pair's kernel equals the kernel of the two graphs at their own sizes (printed: the worst relative
// difference, ~1e-16). The seed-averaged empirical NTK of finite networks with the same graphs approaches the analytic
// one (monteCarloKernel(pattern:)), and kernel regression with the graph NTK (predict(pattern:)) predicts a graph
// property (the mean degree) on held-out graphs better than the mean.
int n = param('n', 8)
int nodes = param('nodes', 7)
int seeds = param('seeds', 8)
int width = param('width', 256)

def rnd = new Random(11)
List<Integer> sizes = (0..<n).collect { 3 + rnd.nextInt(nodes - 2) }
List<Tensor> feats = sizes.withIndex().collect { int v, int i -> Tensor.randn(200 + i, v, 2) }
List<double[][]> adj = sizes.collect { int v ->
    double[][] a = new double[v][v]
    for (int i = 0; i < v; i++) {
        a[i][i] = 1
        for (int j = i + 1; j < v; j++) if (rnd.nextDouble() < 0.4) { a[i][j] = 1; a[j][i] = 1 }
    }
    a
}
// Graphs `idx` padded to `size` nodes: features (k, size, 2) with NaN padding, patterns (k, size, size) with zeros.
def batch = { List<Integer> idx, int size ->
    def x = Tensor.full(Double.NaN, idx.size(), size, 2)
    def p = Tensor.zeros(idx.size(), size, size)
    idx.eachWithIndex { int g, int r ->
        for (int i = 0; i < sizes[g]; i++) {
            (0..<2).each { ch -> x.set(feats[g].get(i, ch), r, i, ch) }
            for (int j = 0; j < sizes[g]; j++) p.set(adj[g][i][j], r, i, j)
        }
    }
    [x, p]
}
def net = { int w -> serial(dense(w, bStd: 0.1), relu(), aggregate(), dense(w), relu(), aggregate(), globalAvgPool(), dense(1)) }

def (x, a) = batch((0..<n).toList(), nodes)
def k = net(width).kernel(x, maskConstant: Double.NaN, pattern: a).ntk()
result('sizes', sizes.toString(), 'nodes per graph (padded to the largest with NaN features and zero edges)')

// Pair by pair against the graphs at their own sizes: graph i unpadded against graph j padded to i's size.
double worst = 0
for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
    if (sizes[j] > sizes[i]) continue
    def (xi, ai) = batch([i], sizes[i])
    def (xj, aj) = batch([j], sizes[i])
    // i == j: the kernel of the graph with itself (its correlation exactly 1; arccos is ill-conditioned there)
    double t = (i == j ? net(width).kernel(xi, maskConstant: Double.NaN, pattern: ai)
            : net(width).kernel(xi, xj, maskConstant: Double.NaN, pattern: [ai, aj])).ntk().get(0, 0)
    worst = Math.max(worst, Math.abs(k.get(i, j) - t) / Math.abs(t))
}
result('own_size_max_rel_diff', worst, 'max over pairs |K_padded(i, j) - K(graph i, graph j at their sizes)| / |K|')

def mc = monteCarloKernel(net(width), x, seeds: seeds, get: 'ntk', maskConstant: Double.NaN, pattern: a)
result('mc_rel_err', (mc.ntk.mean - k).norm() / k.norm(),
        "relative error of the $seeds-seed empirical NTK of width-$width finite networks (same graphs) against the analytic NTK")

// Kernel regression of the mean degree: train on the first half of the graphs, test on the rest.
int half = n.intdiv(2)
def degree = { int g -> (adj[g].collect { it.sum() - 1 }.sum() as double) / sizes[g] }
def y = Tensor.of((0..<half).collect { degree(it) } as double[], half, 1)
def (xTr, aTr) = batch((0..<half).toList(), nodes)
def (xTe, aTe) = batch((half..<n).toList(), nodes)
def pred = predict(net(width), xTr, y, xTe, get: 'ntk', diagReg: 1e-4, maskConstant: Double.NaN, pattern: [aTr, aTe])
List<Double> truth = (half..<n).collect { degree(it) }
double mse = 0, base = 0, mean = (0..<half).collect { degree(it) }.sum() / half
truth.eachWithIndex { double t, int r -> mse += (pred.ntk.get(r, 0) - t) ** 2; base += (mean - t) ** 2 }
result('degree_rmse_ntk', Math.sqrt(mse / truth.size()), 'RMSE of the graph-NTK regression of the mean degree on held-out graphs')
result('degree_rmse_mean', Math.sqrt(base / truth.size()), 'RMSE of predicting the training mean')
report(title: 'Graph kernels with a graph per example',
       notes: "n = $n graphs of sizes $sizes in one padded batch; dense-relu-aggregate-dense-relu-aggregate-GAP-dense, NTK.")
