// Per-op profile of one training iteration on the Wasm backend (the iteration of bench/iteration.ts).
//   node --import tsx bench/probes/iteration-overhead/profile.ts [model] [iterations]
// Env: ROOT=<a source tree> profiles that tree instead of this one (e.g. a `git archive` of an older commit with
// its own `npm run build:wasm`); THREADS (default 2); CLOCK=cpu times with the process's CPU time instead of the
// wall clock (with THREADS=1 it counts only the time the op ran: an honest profile on a loaded machine).
// Every public backend call made by the model is timed (performance.now around the synchronous call) and grouped by
// op and shape; the iteration is also timed untouched, interleaved with the profiled one, with the GEMM-bound time
// (the iteration's GEMM FLOPs at this run's (100,1000,1000) B^T GEMM rate). Prints markdown table rows.
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadTree } from './tree.js';

const root = process.env.ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const kind = process.argv[2] ?? 'semi';
const iters = Number(process.argv[3] ?? 30);
const threads = Number(process.env.THREADS ?? 2);
const cpuClock = process.env.CLOCK === 'cpu';
/** Milliseconds on the chosen clock. */
const now = () => {
  if (!cpuClock) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};
const tree = await loadTree(root, kind, threads);

interface Shaped { shape: readonly number[] }
interface Stat { calls: number; ms: number; flops: number }

/** Op name with the shape class that matters for its cost; matmul also its FLOPs. */
function describe(op: string, args: unknown[]): [string, number] {
  if (op === 'matmul') {
    const [a, , out, o = {}] = args as [Shaped, Shaped, Shaped, { transA?: boolean; transB?: boolean; accumulate?: boolean; activation?: string }];
    const M = out.shape[0]!, N = out.shape[1]!, K = o.transA ? a.shape[0]! : a.shape[1]!;
    const flags = [o.transA ? 'A^T' : '', o.transB ? 'B^T' : '', o.accumulate ? 'acc' : '', o.activation && o.activation !== 'none' ? o.activation : ''];
    return [`matmul (${M},${K},${N}) ${flags.filter(Boolean).join(' ')}`.trim(), 2 * M * N * K];
  }
  const t = args[0] as Shaped | undefined;
  return [`${op} [${t?.shape?.join(',') ?? ''}]`, 0];
}

const be = tree.be;
const stats = new Map<string, Stat>();
let recording = false;
const timed = new Proxy(be, {
  get(target, prop) {
    const v = Reflect.get(target, prop, target);
    if (typeof v !== 'function') return v;
    if (['tensor', 'info', 'free', 'dispose'].includes(String(prop))) return v.bind(target);
    return (...args: unknown[]) => {
      if (!recording) return v.apply(target, args);
      const t0 = now();
      const r = v.apply(target, args);
      const dt = now() - t0;
      const [key, flops] = describe(String(prop), args);
      const s = stats.get(key) ?? { calls: 0, ms: 0, flops: 0 };
      s.calls++;
      s.ms += dt;
      s.flops += flops;
      stats.set(key, s);
      return r;
    };
  },
});

const plain = tree.iteration(be);
const profiled = tree.iteration(timed);
for (let i = 0; i < 5; i++) {
  plain();
  profiled();
}
const load0 = os.loadavg();
const plainMs: number[] = [];
const profiledMs: number[] = [];
for (let i = 0; i < iters; i++) {
  let t0 = now();
  plain();
  plainMs.push(now() - t0);
  recording = true;
  t0 = now();
  profiled();
  profiledMs.push(now() - t0);
  recording = false;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const A = be.tensor([100, 1000]), W = be.tensor([1000, 1000]), C = be.tensor([100, 1000]);
const gemmMs: number[] = [];
for (let i = 0; i < 60; i++) {
  const t0 = now();
  be.matmul(A, W, C, { transB: true });
  gemmMs.push(now() - t0);
}
const rate = 2e8 / (median(gemmMs) / 1e3); // FLOP/s
const flops = tree.flops;
const boundMs = (flops / rate) * 1e3;
const iterMs = median(plainMs);
console.log(`${be.info().device}; ${kind}; ${iters} iterations; ${cpuClock ? 'process CPU time' : 'wall clock'}; load average ${load0.map((x) => x.toFixed(2)).join(' / ')} -> ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
console.log(`iteration median ${iterMs.toFixed(1)} ms (profiled ${median(profiledMs).toFixed(1)} ms); GEMM ${(rate / 1e9).toFixed(1)} GFLOP/s; GEMM-bound ${boundMs.toFixed(1)} ms; non-GEMM ${(100 * (1 - boundMs / iterMs)).toFixed(1)} %`);
console.log('| op | calls | ms / iteration | GFLOP/s | ms over GEMM-bound |');
console.log('| --- | ---: | ---: | ---: | ---: |');
const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
for (const [key, s] of rows) {
  const ms = s.ms / iters;
  const gf = s.flops ? (s.flops / (s.ms / 1e3) / 1e9).toFixed(1) : '';
  const over = s.flops ? (ms - (s.flops / iters / rate) * 1e3).toFixed(3) : '';
  console.log(`| ${key} | ${s.calls / iters} | ${ms.toFixed(3)} | ${gf} | ${over} |`);
}
be.dispose();
