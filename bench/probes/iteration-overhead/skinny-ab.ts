// Skinny GEMM shapes of the AAE, one call at a time on 1 thread (THREADS), CPU time, ROOT_A vs ROOT_B interleaved:
//   THREADS=1 ROOT_A=<tree> ROOT_B=<tree> node --import tsx bench/probes/iteration-overhead/skinny-ab.ts
const roots = [process.env.ROOT_A!, process.env.ROOT_B!];
const threads = Number(process.env.THREADS ?? 2);
const bes: any[] = [];
for (const r of roots) { const { createBackend } = await import(r + '/ts/backend/select.ts'); bes.push(await createBackend('wasm', { threads })); }
const shapes: [number, number, number, boolean, boolean, boolean, string][] = [
  [100, 1, 1000, false, false, false, 'none'], [100, 1000, 1, false, true, false, 'sigmoid'], [100, 10, 1000, false, true, false, 'relu'],
  [100, 2, 1000, false, true, false, 'relu'], [100, 1000, 10, false, true, false, 'none'], [100, 1000, 2, false, true, false, 'none'],
  [1000, 100, 2, true, false, false, 'none'], [1, 100, 1000, true, false, true, 'none'], [2, 100, 1000, true, false, false, 'none'],
  [1000, 100, 10, true, false, false, 'none'], [100, 1000, 12, false, false, false, 'none'], [100, 12, 1000, false, true, false, 'relu'],
  [10, 100, 1000, true, false, false, 'none'],
];
const fmt = (x: number) => (x * 1000).toFixed(1).padStart(7);
for (const [M, K, N, tA, tB, acc, act] of shapes) {
  const res = bes.map((be) => {
    const a = be.tensor(tA ? [K, M] : [M, K], Float32Array.from({ length: M * K }, () => Math.random() - 0.5));
    const b = be.tensor(tB ? [N, K] : [K, N], Float32Array.from({ length: N * K }, () => Math.random() - 0.5));
    const c = be.tensor([M, N]); const bias = be.tensor([N]);
    return { be, a, b, c, bias, t: [] as number[] };
  });
  for (let i = 0; i < 400; i++) for (const r of res) {
    const t0 = process.cpuUsage(); r.be.matmul(r.a, r.b, r.c, { transA: tA, transB: tB, accumulate: acc, activation: act, bias: r.bias }); const d = process.cpuUsage(t0); r.t.push((d.user + d.system) / 1000);
  }
  const line = res.map((r) => { const s = r.t.slice(50).sort((x, y) => x - y); return `min ${fmt(s[0]!)} med ${fmt(s[s.length >> 1]!)} us`; });
  console.log(`(${M},${K},${N})${tA ? ' tA' : ''}${tB ? ' tB' : ''}${acc ? ' acc' : ''} ${act}`.padEnd(32) + line.join('  |  '));
}
for (const be of bes) be.dispose();
