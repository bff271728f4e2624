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
for r in $(seq 1 "$rounds"); do
    echo "== round $r: $(uptime)"
    "$bnlab" bench --repeats 1 --lesson none
    "$python" "$peers/torch_mlp_bench.py" 1 3000
    "$python" "$here/torch_deep.py" 1 100 32 256
    "$python" "$here/torch_deep.py" 1 25 64 512
done
