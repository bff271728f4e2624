#!/usr/bin/env bash
# Interleaved runs of `bnlab bench` and the PyTorch peers (1 thread), with the load average before each.
# Usage: bench/interleave.sh BNLAB PYTHON ROUNDS   (e.g. .build/release/bnlab /tmp/peer/bin/python 3)
# Run from the repository root; the peers are ../shared/peers/torch_mlp_bench.py and bench/torch_deep.py.
set -u
bnlab=${1:-.build/release/bnlab}; python=${2:-python3}; rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
peers=${PEERS:-$here/../../shared/peers}
[ -f "$peers/torch_mlp_bench.py" ] || peers=/work/shared/peers
for r in $(seq 1 "$rounds"); do
    echo "== round $r: $(uptime)"
    "$bnlab" bench --repeats 1 --lesson none
    "$python" "$peers/torch_mlp_bench.py" 1 3000
    "$python" "$here/torch_deep.py" 1 100 32 256
    "$python" "$here/torch_deep.py" 1 25 64 512
done
