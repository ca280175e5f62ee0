// Variable-length sequences with input masking (neural-tangents' mask_constant).
//   ./ntk run scripts/examples/masked_sequences.groovy [-Pn=6] [-Plength=10] [-Pseeds=8] [-Pwidth=256]
//
// n sequences of random lengths 2..length (2 channels, Gaussian entries), padded to `length` with NaN. With
// maskConstant: NaN every padded position is masked: the SAME convs read zeros there, their outputs there are
// masked (window centre), and global average pooling averages over each sequence's own positions. So the kernel
// of the padded batch equals, pair by pair, the kernel of the same net on the trimmed sequences (printed: the
// worst relative difference, ~1e-16), and the seed-averaged empirical NTK of finite networks that apply the mask
// (monteCarloKernel(maskConstant:)) approaches it. Without masking, zero padding changes the kernel (printed too).
int n = param('n', 6)
int length = param('length', 10)
int seeds = param('seeds', 8)
int width = param('width', 256)

def rnd = new Random(7)
List<Integer> lengths = (0..<n).collect { 2 + rnd.nextInt(length - 1) }
List<Tensor> seqs = lengths.withIndex().collect { int len, int i -> Tensor.randn(100 + i, len, 2) }
def padded = { double c ->
    def x = Tensor.full(c, n, length, 2)
    seqs.eachWithIndex { Tensor s, int i -> (0..<s.dim(0)).each { p -> (0..<2).each { ch -> x.set(s.get(p, ch), i, p, ch) } } }
    x
}
def net = { int w -> serial(conv(w, filter: [3], padding: 'SAME'), relu(), conv(w, filter: [3], padding: 'SAME'), relu(),
        globalAvgPool(), dense(1)) }

def x = padded(Double.NaN)
def k = net(width).kernel(x, maskConstant: Double.NaN).ntk()
result('lengths', lengths.toString(), 'sequence lengths (padded with NaN to the full length)')

// Pair by pair against the trimmed sequences: x_i trimmed against x_j padded to x_i's length (len_j <= len_i).
double worst = 0
for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
    int li = lengths[i], lj = lengths[j]
    if (lj > li) continue
    def xi = seqs[i].reshape(1, li, 2)
    def xj = Tensor.full(Double.NaN, 1, li, 2)
    (0..<lj).each { p -> (0..<2).each { ch -> xj.set(seqs[j].get(p, ch), 0, p, ch) } }
    double t = net(width).kernel(xi, xj, maskConstant: Double.NaN).ntk().get(0, 0)
    worst = Math.max(worst, Math.abs(k.get(i, j) - t) / Math.abs(t))
}
result('trimmed_max_rel_diff', worst, 'max over pairs |K_masked(i, j) - K(trimmed i, trimmed j)| / |K|')

def zeroPadded = net(width).kernel(padded(0)).ntk()
result('zero_padding_rel_change', (zeroPadded - k).norm() / k.norm(), '||K(zero padding, no mask) - K(masked)|| / ||K(masked)||')

def mc = monteCarloKernel(net(width), x, seeds: seeds, get: 'ntk', maskConstant: Double.NaN)
result('mc_rel_err', (mc.ntk.mean - k).norm() / k.norm(),
        "relative error of the $seeds-seed empirical NTK of width-$width masked finite networks against the analytic NTK")
report(title: 'Masked variable-length sequences',
       notes: "n = $n sequences of lengths $lengths padded to $length with NaN; conv-relu-conv-relu-GAP-dense, NTK.")
