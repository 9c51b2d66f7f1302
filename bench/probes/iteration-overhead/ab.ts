// Interleaved A/B of one training iteration (bench/iteration.ts) on two source trees, in one process:
//   ROOT_A=<tree> ROOT_B=<tree> node --import tsx bench/probes/iteration-overhead/ab.ts [model] [iterations]
// Each tree is a checkout with its own build/wasm (e.g. `git archive <commit> | tar -x -C /tmp/a`, a node_modules
// link and `npm run build:wasm`). Iterations alternate A, B / B, A so load from other processes hits both alike;
// each tree's GEMM rate ((100,1000,1000) B^T, the rate the bench summary uses) is measured after the iterations.
// CLOCK=cpu times with the process's CPU time instead of the wall clock: with THREADS=1 (no workers spinning) it
// counts only the time the iteration ran, which keeps an A/B meaningful on a machine loaded by other processes.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadTree } from './tree.js';

const roots = [process.env.ROOT_A, process.env.ROOT_B];
if (!roots[0] || !roots[1]) throw new Error('ab.ts: set ROOT_A and ROOT_B to two source trees');
const kind = process.argv[2] ?? 'semi';
const iters = Number(process.argv[3] ?? 40);
const threads = Number(process.env.THREADS ?? 2);
const cpuClock = process.env.CLOCK === 'cpu';
/** Milliseconds on the chosen clock. */
const now = () => {
  if (!cpuClock) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};

const cases: { root: string; run: () => void; be: any; ms: number[]; flops: number }[] = [];
for (const root of roots as string[]) {
  const tree = await loadTree(root, kind, threads);
  cases.push({ root, run: tree.iteration(tree.be), be: tree.be, ms: [], flops: tree.flops });
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
for (const c of cases) for (let i = 0; i < 5; i++) c.run();
const load0 = os.loadavg();
for (let i = 0; i < iters; i++) {
  for (const c of i % 2 ? cases : [...cases].reverse()) {
    const t0 = now();
    c.run();
    c.ms.push(now() - t0);
  }
}
const load1 = os.loadavg();
for (const [i, c] of cases.entries()) {
  const A = c.be.tensor([100, 1000]), W = c.be.tensor([1000, 1000]), C = c.be.tensor([100, 1000]);
  const gemmMs: number[] = [];
  for (let k = 0; k < 80; k++) {
    const t0 = now();
    c.be.matmul(A, W, C, { transB: true });
    gemmMs.push(now() - t0);
  }
  const rate = 2e8 / (quantile(gemmMs, 0.5) / 1e3);
  const med = quantile(c.ms, 0.5);
  const bound = (c.flops / rate) * 1e3;
  console.log(`${'AB'[i]} ${c.root} ${kind}: median ${med.toFixed(1)} ms (p10 ${quantile(c.ms, 0.1).toFixed(1)}, p90 ${quantile(c.ms, 0.9).toFixed(1)}); GEMM ${(rate / 1e9).toFixed(1)} GFLOP/s; GEMM-bound ${bound.toFixed(1)} ms; non-GEMM ${(100 * (1 - bound / med)).toFixed(1)} %`);
}
console.log(`${threads} thread(s), ${cpuClock ? 'process CPU time' : 'wall clock'}; load average (1/5/15 min) before ${load0.map((x) => x.toFixed(2)).join(' / ')}, after ${load1.map((x) => x.toFixed(2)).join(' / ')}`);
for (const c of cases) c.be.dispose();
