#!/usr/bin/env bash
# Issue 13's kernel bar as a user feels it: the whole `ntk kernel` process (n = 4000, d = 64, depth-3 ReLU MLP with
# bias, NNGP + NTK into a stored NPZ) against the whole NumPy process computing the same (bench/numpy/analytic_kernel.py's
# kernel()) and np.savez-ing it. Runs alternate; before each, the output is removed, `sync` runs and the script waits
# (up to 2 min) for the 1-minute load average to fall below 1. Prints each pair and best/best, median/median.
#   bench/whole/kernel_bar.sh [RUNS=5]      PYTHON=/usr/bin/python3 (needs NumPy) picks the NumPy side's interpreter
# The first `ntk kernel` after a build has no AOT cache yet: a 10-row run first, then the cache is awaited.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=${1:-5}
py=${PYTHON:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/ntk-kernel-bar.XXXXXX")
trap 'rm -rf "$work"' EXIT
model='serial(dense(512, wStd: 1.4, bStd: 0.1), relu(), dense(512, wStd: 1.4, bStd: 0.1), relu(), dense(1, wStd: 1.4, bStd: 0.1))'
"$py" - "$work" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(0).standard_normal((4000, 64))
np.save(sys.argv[1] + "/x.npy", rng)
np.save(sys.argv[1] + "/x10.npy", rng[:10])
PY
cat >"$work/peer.py" <<PY
import sys
import numpy as np
sys.path.insert(0, "$root/bench/numpy")
from analytic_kernel import kernel
k, t = kernel(np.load(sys.argv[1]))
np.savez(sys.argv[2], nngp=k, ntk=t)
PY
quiet() {
  local l
  for _ in $(seq 1 60); do
    l=$(cut -d' ' -f1 /proc/loadavg)
    awk "BEGIN{exit !($l < 1.0)}" && return 0
    sleep 2
  done
  echo "  (load still $l)"
}
cd "$root"
./ntk kernel --model "$model" --x1 "$work/x10.npy" --out "$work/warm.npz" >/dev/null 2>&1
for _ in $(seq 1 120); do ls -d target/aot/kernel-*.lock >/dev/null 2>&1 || break; sleep 1; done
ours=() theirs=()
for r in $(seq 1 "$runs"); do
  quiet; rm -f "$work/k.npz" "$work/k.manifest.json"; sync
  o=$({ /usr/bin/time -f "%e %U %S" ./ntk kernel --model "$model" --x1 "$work/x.npy" --out "$work/k.npz" >/dev/null 2>"$work/ours.err"; } 2>&1; tail -n 1 "$work/ours.err")
  quiet; rm -f "$work/p.npz"; sync
  n=$({ /usr/bin/time -f "%e %U %S" "$py" "$work/peer.py" "$work/x.npy" "$work/p.npz"; } 2>&1 | tail -n 1)
  echo "run $r: ntk kernel ${o%% *} s (user+sys $(echo "$o" | awk '{print $2 "+" $3}')) | NumPy ${n%% *} s (user+sys $(echo "$n" | awk '{print $2 "+" $3}'))"
  ours+=("${o%% *}"); theirs+=("${n%% *}")
done
"$py" - "${ours[*]}" "${theirs[*]}" "$work/k.npz" "$work/p.npz" <<'PY'
import sys, statistics, numpy as np
o = [float(v) for v in sys.argv[1].split()]; n = [float(v) for v in sys.argv[2].split()]
a, b = np.load(sys.argv[3]), np.load(sys.argv[4])
diff = {k: float(np.max(np.abs(a[k] - b[k])) / np.max(np.abs(b[k]))) for k in ("nngp", "ntk")}
print(f"best/best {min(o) / min(n):.2f}x, median/median {statistics.median(o) / statistics.median(n):.2f}x (bar <= 0.5x); "
      f"max |ntk - numpy| / max |numpy|: nngp {diff['nngp']:.1e}, ntk {diff['ntk']:.1e}")
PY
