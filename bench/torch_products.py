"""Peer for `bnlab bench`'s product floor: the three matrix products of one hidden layer, warm, in PyTorch.

A dense layer of WIDTH → WIDTH (weight W, WIDTH × WIDTH) on a batch of 60 computes, per training step,
  forward  z  = x · Wᵀ    (60 × WIDTH)
  dW       dW = dzᵀ · x   (WIDTH × WIDTH)
  dx       dx = dz · W    (60 × WIDTH)
This times each with torch.mm (1 thread unless given), the same operands over and over (so warm in cache),
in 7 interleaved rounds of REPEATS calls, and prints each one's median microseconds per call, their sum,
and that sum times DEPTH - 1 (the hidden-to-hidden layers of a DEPTH × WIDTH net): the step time a net
of that shape cannot go under with these products, before any normalization, activation or update, and
with its weights warm (a 64 × 512 net's do not fit in cache).
Usage: python torch_products.py [THREADS] [WIDTH] [DEPTH] [REPEATS]   (default 1 512 64 50)
"""
import sys, time, torch
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
width = int(sys.argv[2]) if len(sys.argv) > 2 else 512
depth = int(sys.argv[3]) if len(sys.argv) > 3 else 64
repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 50
torch.set_num_threads(threads); torch.manual_seed(0)
x = torch.rand(60, width); dz = torch.randn(60, width); W = torch.randn(width, width)
z = torch.empty(60, width); dW = torch.empty(width, width); dx = torch.empty(60, width)
products = {
    "forward": lambda: torch.mm(x, W.t(), out=z),
    "dW": lambda: torch.mm(dz.t(), x, out=dW),
    "dx": lambda: torch.mm(dz, W, out=dx),
}
times = {name: [] for name in products}
for f in products.values():
    for _ in range(10): f()
for _ in range(7):
    for name, f in products.items():
        t = time.perf_counter()
        for _ in range(repeats): f()
        times[name].append((time.perf_counter() - t) / repeats * 1e6)
med = {name: sorted(ts)[len(ts) // 2] for name, ts in times.items()}
flops = 2 * 60 * width * width
total = sum(med.values())
print(f"torch {torch.__version__} threads={threads} products of a {width}-wide layer, batch 60, warm: "
      + ", ".join(f"{name} {us:.0f} us ({flops / us / 1e3:.1f} GFLOP/s)" for name, us in med.items()))
print(f"  sum {total:.0f} us; x {depth - 1} hidden layers = {total * (depth - 1) / 1e3:.1f} ms a step")
