// Weight-gradient GEMM (1000,100,1000) A^T with a cold C (a 64 MiB fill between calls), accumulating or not:
//   THREADS=1 ROOT_A=<tree> ROOT_B=<tree> node --import tsx bench/probes/iteration-overhead/wgrad-ab.ts
const roots = [process.env.ROOT_A!, process.env.ROOT_B!];
const threads = Number(process.env.THREADS ?? 1);
const res: any[] = [];
for (const r of roots) { const { createBackend } = await import(r + '/ts/backend/select.ts'); const be = await createBackend('wasm', { threads });
  const rnd = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
  res.push({ be, a: be.tensor([100, 1000], rnd(1e5)), b: be.tensor([100, 1000], rnd(1e5)), c: be.tensor([1000, 1000], rnd(1e6)), big: be.tensor([16, 1024, 1024]), t: { false: [], true: [] } }); }
for (let i = 0; i < 40; i++) for (const acc of [false, true]) for (const r of res) { r.be.fill(r.big, 1); const t0 = process.cpuUsage(); r.be.matmul(r.a, r.b, r.c, { transA: true, accumulate: acc }); const d = process.cpuUsage(t0); r.t[String(acc)].push((d.user + d.system) / 1000); }
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
res.forEach((r, i) => console.log(`${['A', 'B'][i]} ${threads}t (1000,100,1000) tA cold C: acc=false ${med(r.t.false).toFixed(3)} ms, acc=true ${med(r.t.true).toFixed(3)} ms`));
for (const r of res) r.be.dispose();
