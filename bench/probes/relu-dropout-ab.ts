// The backward of relu + dropout + the bias gradient on one (100, 1000) hidden layer: the three ops it replaces
// (dropoutBackward, activationBackward, biasGrad) against reluDropoutBackward, interleaved, process CPU time,
// hot and with a 16 MB copy between calls (cold):
//   node --experimental-wasm-relaxed-simd --import tsx bench/probes/relu-dropout-ab.ts
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
const threads = Number(process.env.THREADS ?? 1);
const be = await WasmBackend.create({ simd: 'relaxed', threads });
const B = 100, H = 1000;
const r = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.4);
const y = be.tensor([B, H], r(B * H).map((v) => Math.max(v, 0)));
const mask = be.tensor([B, H]); const out = be.tensor([B, H]); const dy = be.tensor([B, H], r(B * H));
be.dropout(y, out, mask, { p: 0.25, seed: 1, offset: 0 });
const dx = be.tensor([B, H]); const db = be.tensor([H]);
// a 16 MB buffer to evict the caches between calls (cold case)
const big = be.tensor([4_000_000]); const big2 = be.tensor([4_000_000]);
const now = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const old = () => { be.dropoutBackward(dy, mask, dx); be.activationBackward(y, dx, dx, 'relu'); be.biasGrad(dx, db); };
const fused = () => be.reluDropoutBackward(out, dy, dx, { p: 0.25, db });
for (const cold of [false, true]) {
  const t = { old: [] as number[], fused: [] as number[] };
  for (let i = 0; i < 300; i++) for (const [k, f] of [['old', old], ['fused', fused]] as const) {
    if (cold) be.copy(big, big2);
    const t0 = now(); f(); t[k].push(now() - t0);
  }
  const med = (a: number[]) => a.slice(20).sort((x, y) => x - y)[(a.length - 20) >> 1]!;
  console.log(`${cold ? 'cold' : 'hot '} ${threads}t: old ${(1000 * med(t.old)).toFixed(0)} us, fused ${(1000 * med(t.fused)).toFixed(0)} us`);
}
be.dispose();
