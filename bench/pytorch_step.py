#!/usr/bin/env python3
"""One semi-supervised AAE training iteration in PyTorch eager, timed: the comparison point for our backends.

The same nets, losses and phases as ts/models/semisupervised.ts (the reference code with its bugs fixed):
Q 784-1000-1000 -> softmax y (10) and linear z (2); P (10+2)-1000-1000-784 sigmoid; D_cat 10-1000-1000-1 and
D_gauss 2-1000-1000-1 sigmoid; dropout 0.25 in Q/P and 0.2 in D; batch 100; Adam per phase:
reconstruction (P, Q: 6e-4) -> discriminators (8e-4, no gradient into Q) -> generator (Q: 8e-4) ->
cross-entropy on the logits of a labeled batch (Q trunk + class head: 1e-3). Random images (the GPU machine has no
MNIST); prints one JSON line: device, threads, BLAS, ms per iteration (median, p10, p90).
On Debian, `apt-get install python3-torch libopenblas0-openmp`: the OpenMP OpenBLAS (the pthread build
oversubscribes the cores next to torch's own OpenMP pool), and without OpenBLAS Debian's torch links the generic
reference BLAS (about 2 GFLOP/s). OpenBLAS 0.3.21 misdetects recent Xeons (as Prescott: no AVX at all), so the
caller (ts/gpu/pytorch-peer.ts) picks OPENBLAS_CORETYPE by the GEMM rate that --gemm-only reports for each.
The output records the BLAS library actually loaded, its kernel (core) name and its 100x1000x1000 GEMM rate.

usage: python3 bench/pytorch_step.py [--device cpu|cuda] [--threads 2] [--iters 50] [--gemm-only]
"""
import argparse
import ctypes
import json
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

EPS = 1e-15


def mlp(inp, hidden, out, p, last=None):
    layers = [nn.Linear(inp, hidden), nn.ReLU(), nn.Dropout(p), nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(p), nn.Linear(hidden, out)]
    if last is not None:
        layers.append(last)
    return nn.Sequential(*layers)


class Q(nn.Module):
    def __init__(self, hidden=1000, z=2, classes=10):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(784, hidden), nn.ReLU(), nn.Dropout(0.25), nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(0.25))
        self.lin3cat = nn.Linear(hidden, classes)
        self.lin3gauss = nn.Linear(hidden, z)

    def forward(self, x):
        h = self.trunk(x)
        logits = self.lin3cat(h)
        return logits, F.softmax(logits, dim=1), self.lin3gauss(h)


def blas_loaded():
    """The BLAS shared libraries mapped into this process, and OpenBLAS's kernel name where it is one of them."""
    with open('/proc/self/maps') as f:
        libs = sorted({line.split()[-1] for line in f if 'blas' in line.lower() and line.split()[-1].startswith('/')})
    core = None
    for lib in libs:
        try:
            openblas = ctypes.CDLL(lib)
            openblas.openblas_get_corename.restype = ctypes.c_char_p
            core = openblas.openblas_get_corename().decode()
            break
        except (OSError, AttributeError):
            continue
    return libs, core


def gemm_gflops(threads, reps=100):
    torch.set_num_threads(threads)
    a, b = torch.randn(100, 1000), torch.randn(1000, 1000)
    for _ in range(10):
        a @ b
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * 100 * 1000 * 1000 * reps / (time.perf_counter() - t0) / 1e9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--iters', type=int, default=50)
    ap.add_argument('--gemm-only', action='store_true', help='print the BLAS in use and its GEMM rate, then exit')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    gflops = gemm_gflops(args.threads) if args.device == 'cpu' else None
    libs, core = blas_loaded()
    blas_fields = {'blas_libraries': libs, 'openblas_core': core, 'openblas_coretype_env': os.environ.get('OPENBLAS_CORETYPE'),
                   'gemm_100x1000x1000_gflops': round(gflops, 1) if gflops else None}
    if args.gemm_only:
        print(json.dumps(blas_fields))
        return
    dev = torch.device(args.device)
    torch.manual_seed(1)
    q, p = Q().to(dev), mlp(12, 1000, 784, 0.25, nn.Sigmoid()).to(dev)
    d_cat, d_gauss = mlp(10, 1000, 1, 0.2, nn.Sigmoid()).to(dev), mlp(2, 1000, 1, 0.2, nn.Sigmoid()).to(dev)
    opt = {
        'P_decoder': torch.optim.Adam(p.parameters(), lr=6e-4),
        'Q_encoder': torch.optim.Adam(q.parameters(), lr=6e-4),
        'Q_generator': torch.optim.Adam(q.parameters(), lr=8e-4),
        'Q_semi': torch.optim.Adam(list(q.trunk.parameters()) + list(q.lin3cat.parameters()), lr=1e-3),
        'D_cat': torch.optim.Adam(d_cat.parameters(), lr=8e-4),
        'D_gauss': torch.optim.Adam(d_gauss.parameters(), lr=8e-4),
    }
    x = torch.rand(100, 784, device=dev)
    x_l = torch.rand(100, 784, device=dev)
    y_l = torch.randint(0, 10, (100,), device=dev)

    def step():
        for o in opt.values():
            o.zero_grad(set_to_none=True)
        q.train()
        _, y, z = q(x)
        recon = F.binary_cross_entropy(p(torch.cat([y, z], 1)) + EPS, x + EPS)
        recon.backward()
        opt['P_decoder'].step()
        opt['Q_encoder'].step()
        q.eval()
        with torch.no_grad():
            _, y_fake, z_fake = q(x)
        real_cat = F.one_hot(torch.randint(0, 10, (100,), device=dev), 10).float()
        real_gauss = torch.randn(100, 2, device=dev)
        d_loss = -torch.mean(torch.log(d_cat(real_cat) + EPS) + torch.log(1 - d_cat(y_fake) + EPS)) \
                 - torch.mean(torch.log(d_gauss(real_gauss) + EPS) + torch.log(1 - d_gauss(z_fake) + EPS))
        d_loss.backward()
        opt['D_cat'].step()
        opt['D_gauss'].step()
        q.train()
        for o in opt.values():
            o.zero_grad(set_to_none=True)
        _, y, z = q(x)
        g_loss = -torch.mean(torch.log(d_cat(y) + EPS)) - torch.mean(torch.log(d_gauss(z) + EPS))
        g_loss.backward()
        opt['Q_generator'].step()
        for o in opt.values():
            o.zero_grad(set_to_none=True)
        logits, _, _ = q(x_l)
        F.cross_entropy(logits, y_l).backward()
        opt['Q_semi'].step()

    def sync():
        if dev.type == 'cuda':
            torch.cuda.synchronize()

    for _ in range(5):
        step()
    sync()
    times = []
    for _ in range(args.iters):
        t0 = time.perf_counter()
        step()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    config = torch.__config__.show()
    blas = next((part.split('=', 1)[1] for part in config.replace(',', ' ').split() if part.startswith('BLAS_INFO=')), 'unknown')
    print(json.dumps({
        'framework': f'pytorch {torch.__version__} eager',
        'blas': f'{blas}, mkl {torch.backends.mkl.is_available()}, mkldnn {torch.backends.mkldnn.is_available()}',
        'device': torch.cuda.get_device_name(0) if dev.type == 'cuda' else f'cpu ({args.threads} threads)',
        'ms_median': round(statistics.median(times), 3),
        'ms_p10': round(times[len(times) // 10], 3),
        'ms_p90': round(times[(9 * len(times)) // 10], 3),
        'iters': args.iters,
        **blas_fields,
    }))


if __name__ == '__main__':
    main()
