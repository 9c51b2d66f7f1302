// The 1000-wide GEMMs, cold (a 64 MiB fill between calls; HOT=1: not), 1 thread, CPU time, ROOT_A vs ROOT_B:
//   THREADS=1 ROOT_A=<tree> ROOT_B=<tree> node --import tsx bench/probes/iteration-overhead/gemm-cold-ab.ts
const roots = [process.env.ROOT_A!, process.env.ROOT_B!];
const threads = Number(process.env.THREADS ?? 1);
const cold = process.env.HOT ? false : true;
const shapes: [number, number, number, boolean, boolean, boolean][] = [[100, 1000, 1000, false, false, false], [100, 1000, 1000, false, true, false], [1000, 100, 1000, true, false, false], [1000, 100, 1000, true, false, true], [100, 1000, 784, false, false, false]];
const res: any[] = [];
for (const r of roots) { const { createBackend } = await import(r + '/ts/backend/select.ts'); res.push({ be: await createBackend('wasm', { threads }) }); }
const rnd = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (const [M, K, N, tA, tB, acc] of shapes) {
  const cs = res.map(({ be }) => ({ be, a: be.tensor(tA ? [K, M] : [M, K], rnd(M * K)), b: be.tensor(tB ? [N, K] : [K, N], rnd(N * K)), c: be.tensor([M, N], rnd(M * N)), big: be.tensor([16, 1024, 1024]), t: [] as number[] }));
  for (let i = 0; i < 30; i++) for (const c of cs) { if (cold) c.be.fill(c.big, 1); const t0 = process.cpuUsage(); c.be.matmul(c.a, c.b, c.c, { transA: tA, transB: tB, accumulate: acc }); const d = process.cpuUsage(t0); c.t.push((d.user + d.system) / 1000); }
  console.log(`(${M},${K},${N})${tA ? ' tA' : ''}${tB ? ' tB' : ''}${acc ? ' acc' : ''} ${cold ? 'cold' : 'hot'}: ` + cs.map((c, i) => `${['A', 'B'][i]} ${med(c.t).toFixed(3)} ms`).join('  '));
  for (const c of cs) { c.be.free(c.big); c.be.free(c.a); c.be.free(c.b); c.be.free(c.c); }
}
for (const r of res) r.be.dispose();
