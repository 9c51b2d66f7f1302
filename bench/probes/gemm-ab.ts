// GEMM GFLOP/s of two source trees' Wasm kernels, interleaved call by call (bench/results/2026-12-01-intel-xeon-2c-quiet/gemm-ab.md):
//   ROOT_A=<tree> ROOT_B=<tree> THREADS=2 node --import tsx bench/probes/gemm-ab.ts
const [rootA, rootB] = [process.env.ROOT_A!, process.env.ROOT_B!];
const threads = Number(process.env.THREADS ?? 2);
const mods = await Promise.all([rootA, rootB].map((r) => import(`${r}/ts/backend/wasm/wasm-backend.ts`)));
const bes = await Promise.all(mods.map((m) => m.WasmBackend.create({ threads, simd: process.env.SIMD ?? 'relaxed' })));
const shapes = [[100, 1000, 1000, 0, 0], [100, 1000, 1000, 0, 1], [1000, 100, 1000, 1, 0]];
for (const [M, K, N, tA, tB] of shapes) {
  const res = bes.map((be) => {
    const a = be.tensor(tA ? [K, M] : [M, K], new Float32Array(M * K).fill(0.5));
    const b = be.tensor(tB ? [N, K] : [K, N], new Float32Array(K * N).fill(0.25));
    const c = be.tensor([M, N]);
    return () => be.matmul(a, b, c, { transA: !!tA, transB: !!tB });
  });
  const t = [[], []] as number[][];
  for (let r = 0; r < 400; r++) for (let i = 0; i < 2; i++) { const t0 = performance.now(); res[i]!(); t[i]!.push(performance.now() - t0); }
  const med = (x: number[]) => x.sort((p, q) => p - q)[x.length >> 1]!;
  console.log(`(${M},${K},${N}) tA=${tA} tB=${tB} ${threads}t: old ${(2 * M * N * K / med(t[0]!) / 1e6).toFixed(1)}  new ${(2 * M * N * K / med(t[1]!) / 1e6).toFixed(1)} GFLOP/s`);
}
bes.forEach((b) => b.dispose());
