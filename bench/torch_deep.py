"""Peer benchmark for `bnlab bench`'s deep nets: PyTorch CPU training steps/s.

784-(width × depth)-10, a bias-free linear layer, BatchNorm1d and a sigmoid per hidden layer (BN before
the activation, as bnlab bench's deep nets), batch 60, SGD lr 0.1, 10 warm-up steps.
Usage: python torch_deep.py THREADS STEPS DEPTH WIDTH [sigmoid|relu]
"""
import sys, time, torch, torch.nn as nn
threads = int(sys.argv[1]); steps = int(sys.argv[2]); depth = int(sys.argv[3]); width = int(sys.argv[4])
act = sys.argv[5] if len(sys.argv) > 5 else "sigmoid"
torch.set_num_threads(threads); torch.manual_seed(0)
X = torch.rand(6000, 784); Y = torch.randint(0, 10, (6000,))
layers, d = [], 784
for _ in range(depth):
    layers += [nn.Linear(d, width, bias=False), nn.BatchNorm1d(width), nn.Sigmoid() if act == "sigmoid" else nn.ReLU()]
    d = width
layers += [nn.Linear(d, 10)]
m = nn.Sequential(*layers); opt = torch.optim.SGD(m.parameters(), lr=0.1); lossf = nn.CrossEntropyLoss()
def step(i):
    j = (i * 60) % 6000
    xb, yb = X[j:j+60], Y[j:j+60]
    opt.zero_grad(set_to_none=True)
    loss = lossf(m(xb), yb); loss.backward(); opt.step()
for i in range(10): step(i)
t = time.perf_counter()
for i in range(steps): step(i)
dt = time.perf_counter() - t
print(f"torch {torch.__version__} threads={threads} deep {depth}x{width} bn {act}: {steps/dt:.1f} steps/s")
