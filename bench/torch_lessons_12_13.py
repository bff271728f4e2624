"""PyTorch peer for lessons 12-13 (1 thread). deep: step-0 per-layer gradient norms of 64x64 ReLU nets;
gammabeta: 784-256-256-256-10 ReLU BN, SGD lr 0.1 momentum 0.9, batch 60, 2000 steps, only gamma/beta vs all."""
import sys, gzip, struct, numpy as np, torch, torch.nn as nn
torch.set_num_threads(1)
d, exp = sys.argv[1], sys.argv[2]
def load(name):
    b = gzip.open(f"{d}/{name}", "rb").read()
    if struct.unpack(">I", b[:4])[0] == 2051:
        n, r, c = struct.unpack(">III", b[4:16]); return np.frombuffer(b[16:], np.uint8).reshape(n, r * c)
    return np.frombuffer(b[8:], np.uint8)
X = torch.tensor(load("train-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
Y = torch.tensor(load("train-labels-idx1-ubyte.gz"), dtype=torch.long)
Xte = torch.tensor(load("t10k-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
Yte = torch.tensor(load("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
def mlp(depth, width, bn, init=None):
    L, n = [], 784
    for i in range(depth):
        lin = nn.Linear(n, width, bias=not bn)
        if init == "he": nn.init.kaiming_normal_(lin.weight, nonlinearity="relu"); (lin.bias is not None) and nn.init.zeros_(lin.bias)
        L += [lin] + ([nn.BatchNorm1d(width)] if bn else []) + [nn.ReLU()]; n = width
    L.append(nn.Linear(n, 10)); return nn.Sequential(*L)
if exp == "deep":
    for name, bn, init in [("plain_default", False, None), ("plain_he", False, "he"), ("bn", True, None)]:
        for seed in range(3):
            torch.manual_seed(seed); m = mlp(64, 64, bn, init); g = torch.Generator().manual_seed(seed)
            idx = torch.randint(0, 60000, (500,), generator=g)
            nn.CrossEntropyLoss()(m(X[idx]), Y[idx]).backward()
            gn = [l.weight.grad.norm().item() for l in m if isinstance(l, nn.Linear)]
            print("deep", name, "seed", seed, "layer1 %.3g layer33 %.3g layer65(out) %.3g ratio1/out %.3g" % (gn[0], gn[32], gn[-1], gn[0] / gn[-1]), flush=True)
elif exp == "gammabeta":
    for name in ["all", "gamma_beta"]:
        torch.manual_seed(1); m = mlp(3, 256, True)
        params = [p for mod in m if isinstance(mod, nn.BatchNorm1d) for p in mod.parameters()] if name == "gamma_beta" else list(m.parameters())
        o = torch.optim.SGD(params, lr=0.1, momentum=0.9); g = torch.Generator().manual_seed(0); lf = nn.CrossEntropyLoss()
        for s in range(2000):
            idx = torch.randint(0, 60000, (60,), generator=g); o.zero_grad(); lf(m(X[idx]), Y[idx]).backward(); o.step()
        m.eval()
        with torch.no_grad(): a = (m(Xte).argmax(1) == Yte).float().mean().item()
        gam = torch.cat([mod.weight.detach().abs() for mod in m if isinstance(mod, nn.BatchNorm1d)])
        print("gammabeta", name, "test %.4f" % a, "share |gamma|<0.1: %.3f" % (gam < 0.1).float().mean().item(), flush=True)
