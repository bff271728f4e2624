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

The peers are torch_mlp_bench.py in the peers folder and bench/torch_deep.py. The peers folder is
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
for r in $(seq 1 "$rounds"); do
    echo "== round $r: $(uptime)"
    "$bnlab" bench --repeats 1 --lesson none --deep-steps "$deep"
    "$python" "$peers/torch_mlp_bench.py" 1 3000
    "$python" "$here/torch_deep.py" 1 "$deep" 32 256
    "$python" "$here/torch_deep.py" 1 $((deep / 4)) 64 512
done
