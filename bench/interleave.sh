#!/usr/bin/env bash
# Interleaved runs of `bnlab bench` and the PyTorch peers (1 thread), with the load average before each.
set -u
usage() {
    cat <<'TEXT'
Usage: bench/interleave.sh [BNLAB] [PYTHON] [ROUNDS]
  e.g. PEERS=/path/to/shared/peers bench/interleave.sh .build/release/bnlab /tmp/peer/bin/python 3

  BNLAB   the bnlab binary (default .build/release/bnlab)
  PYTHON  a Python with PyTorch (default python3)
  ROUNDS  how many rounds of bnlab, then each peer (default 3)

DEEP_STEPS (default 300) sets the timed steps of the 32 x 256 deep net on both sides; 64 x 512 runs a
quarter of them. (At 100 and 25, PyTorch's 64 x 512 rate moved between 7.8 and 10.6 steps/s from round
to round in one sitting.)

At the end it prints, for each net, bnlab's steps/s over PyTorch's in each round and the median of
those ratios against issue #17's targets; the two seeds' scaling beside the machine's own (the FMA
peak loop on 2 threads against 1) and beside what a busy core next door costs a BN step (both timed
in the same rounds); then the 64 x 512 net's product floor (its 63 hidden layers'
three products each, warm) on both sides, beside PyTorch's step and the step 1.5x asks of bnlab.

The peers are torch_mlp_bench.py in the peers folder, bench/torch_deep.py and bench/torch_products.py. The peers folder is
$PEERS if set, else ../shared/peers next to the repository root.
TEXT
}
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
bnlab=${1:-.build/release/bnlab}; python=${2:-python3}; rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
peers=${PEERS:-$here/../../shared/peers}
if [ ! -f "$peers/torch_mlp_bench.py" ]; then
    echo "interleave.sh: no torch_mlp_bench.py in the peers folder '$peers'" >&2
    echo "  set PEERS to the folder that holds it" >&2
    echo >&2
    usage >&2
    exit 2
fi
case "$rounds" in ''|*[!0-9]*) echo "interleave.sh: ROUNDS must be a whole number, got '$rounds'" >&2; usage >&2; exit 2 ;; esac
deep=${DEEP_STEPS:-300}
case "$deep" in ''|*[!0-9]*) echo "interleave.sh: DEEP_STEPS must be a whole number, got '$deep'" >&2; usage >&2; exit 2 ;; esac
if [ "$deep" -lt 4 ]; then echo "interleave.sh: DEEP_STEPS must be at least 4, got $deep" >&2; exit 2; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/interleave.XXXXXX")
trap 'rm -rf "$work"' EXIT
log=$work/log
# bnlab's figures come from `bench --json` (one file a round, read by name below); the peers print text.
for r in $(seq 1 "$rounds"); do
    echo "== round $r: $(uptime)"
    if "$bnlab" bench --json --repeats 1 --lesson none --deep-steps "$deep" > "$work/bnlab-$r.json"; then
        cat "$work/bnlab-$r.json"; echo
    else
        echo "interleave.sh: bnlab bench failed in round $r" >&2
    fi
    "$python" "$peers/torch_mlp_bench.py" 1 3000
    "$python" "$here/torch_deep.py" 1 "$deep" 32 256
    "$python" "$here/torch_deep.py" 1 $((deep / 4)) 64 512
    "$python" "$here/torch_products.py" 1 512 64
done 2>&1 | tee "$log"

# Per round: bnlab's rate over PyTorch's for each net; then the median of those ratios (#17's measure).
"$python" - "$log" "$work" <<'PY'
import json, os, re, statistics, sys
rounds = open(sys.argv[1], encoding="utf-8").read().split("== round ")[1:]
def ours(r):  # round r's bnlab figures (bench --json), or {} if that run failed
    try:
        with open(os.path.join(sys.argv[2], "bnlab-%d.json" % r), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}
figures = [ours(r + 1) for r in range(len(rounds))]
rows = [  # name, bnlab's JSON key, PyTorch's line, target
    ("bn", "bnStepsPerSecond", r"threads=1 bn: ([\d.]+) steps/s", 2.5),
    ("plain", "plainStepsPerSecond", r"threads=1 plain: ([\d.]+) steps/s", 2.0),
    ("32 x 256", "deep32x256StepsPerSecond", r"deep 32x256 bn sigmoid: ([\d.]+) steps/s", 1.5),
    ("64 x 512", "deep64x512StepsPerSecond", r"deep 64x512 bn sigmoid: ([\d.]+) steps/s", 1.5),
]
def find(pattern, text):
    m = re.search(pattern, text, re.M)
    return float(m.group(1)) if m else None
print("\nsummary over %d rounds (ratio = bnlab / PyTorch in the same round; target in brackets)" % len(rounds))
for name, key, theirs, target in rows:
    pairs = [(f.get(key), find(theirs, r)) for f, r in zip(figures, rounds)]
    ratios = [a / b for a, b in pairs if a and b]
    if not ratios:
        print("  %-9s no figures" % name); continue
    m = statistics.median(ratios)
    print("  %-9s median %.2fx [>= %.1fx] %s  rounds: %s" % (name, m, target, "holds" if m >= target else "SHORT",
          ", ".join("%.2f" % r for r in ratios)))
two = [f.get("parallelSpeedup") for f in figures]
two = [t for t in two if t]
if two:
    m = statistics.median(two)
    print("  %-9s median %.2fx [>= 1.9x] %s  rounds: %s" % ("2 seeds", m, "holds" if m >= 1.9 else "SHORT", ", ".join("%.2f" % t for t in two)))
# The same rounds' FMA peak loop on 2 threads against 1: what two runs that share nothing gain here.
loop = [f.get("machineLoopScaling") for f in figures]
loop = [t for t in loop if t]
if loop:
    print("  %-9s median %.2fx (the machine's own 2-thread scaling, beside the 2 seeds)  rounds: %s"
          % ("FMA loop", statistics.median(loop), ", ".join("%.2f" % t for t in loop)))
# A BN step beside the loop busy on the other core against beside an idle one: each of two runs side by
# side pays it, so 2 / (1 + slowdown) is about what two seeds can gain here.
slow = [f.get("busyNeighbourSlowdown") for f in figures]
slow = [t for t in slow if t is not None]
if slow:
    m = statistics.median(slow)
    print("  %-9s median %+.1f%% a bn step beside a busy core, so about %.2fx for 2 seeds  rounds: %s"
          % ("neighbour", 100 * m, 2 / (1 + m), ", ".join("%+.1f%%" % (100 * t) for t in slow)))
# The 64 x 512 net's products alone (warm), each side's own kernel, against PyTorch's whole step.
floor = [f.get("deep64x512ProductsMilliseconds") for f in figures]
theirs = [find(r"= ([\d.]+) ms a step", r) for r in rounds]
steps = [find(r"deep 64x512 bn sigmoid: ([\d.]+) steps/s", r) for r in rounds]
if rounds and all(floor) and all(theirs) and all(steps):
    step = statistics.median(1e3 / s for s in steps)
    print("  64 x 512 products alone, warm (median): bnlab %.1f ms, PyTorch %.1f ms; PyTorch's step %.1f ms,"
          % (statistics.median(floor), statistics.median(theirs), step))
    print("    so 1.5x asks for a bnlab step of %.1f ms, %.0f%% of bnlab's products alone"
          % (step / 1.5, 100 * step / 1.5 / statistics.median(floor)))
PY
