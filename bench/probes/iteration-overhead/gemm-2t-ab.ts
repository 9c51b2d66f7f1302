// 2-thread wall-clock GEMMs, ROOT_A vs ROOT_B interleaved call by call (the static vs the dynamic split):
//   ROOT_A=<tree> ROOT_B=<tree> node --import tsx bench/probes/iteration-overhead/gemm-2t-ab.ts
import { performance } from 'node:perf_hooks';
const roots = [process.env.ROOT_A!, process.env.ROOT_B!];
const shapes: [number, number, number, boolean, boolean][] = [[1000, 100, 1000, true, false], [1000, 100, 784, true, false], [100, 1000, 1000, false, true]];
const res: any[] = [];
for (const r of roots) { const { createBackend } = await import(r + '/ts/backend/select.ts'); res.push({ be: await createBackend('wasm', { threads: 2 }) }); }
const rnd = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
const q = (xs: number[], f: number) => [...xs].sort((a, b) => a - b)[Math.floor(f * xs.length)]!;
for (const [M, K, N, tA, tB] of shapes) {
  const cs = res.map(({ be }) => ({ be, a: be.tensor(tA ? [K, M] : [M, K], rnd(M * K)), b: be.tensor(tB ? [N, K] : [K, N], rnd(N * K)), c: be.tensor([M, N]), t: [] as number[] }));
  for (let i = 0; i < 300; i++) for (const c of (i % 2 ? cs : [...cs].reverse())) { const t0 = performance.now(); c.be.matmul(c.a, c.b, c.c, { transA: tA, transB: tB }); c.t.push(performance.now() - t0); }
  console.log(`(${M},${K},${N})${tA ? ' A^T' : ''}${tB ? ' B^T' : ''} 2t: ` + cs.map((c, i) => `${'AB'[i]} median ${q(c.t, 0.5).toFixed(3)} p90 ${q(c.t, 0.9).toFixed(3)} ms`).join('  |  '));
}
for (const r of res) r.be.dispose();
