// The roofline probes (asm/probe.ts) compute what bench/roofline.ts says they do: fmaPeak is 12 chains of
// a = a * x + y, and adamStream adds grad to param, m and v in place. Timings are not looked at.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadWasmModule, wasmDir } from '../../ts/backend/wasm/loader.js';
import { measureRoofline } from '../../bench/roofline.js';

const simd = loadWasmModule('auto').simd;

function instance(): { k: { fmaPeak(iters: number): number; adamStream(p: number, g: number, m: number, v: number, n: number): void }; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
  const module = new WebAssembly.Module(readFileSync(join(wasmDir(), `probe.${simd}.wasm`)));
  return { k: new WebAssembly.Instance(module, { env: { memory } }).exports as never, memory };
}

t.test('fmaPeak iterates a = a * 0.999999 + 1e-7 from 1 in each of 12 chains and returns their sum', async (t) => {
  const { k } = instance();
  let a = Math.fround(1);
  for (let i = 0; i < 1000; i++) a = Math.fround(Math.fround(a * Math.fround(0.999999)) + Math.fround(1e-7));
  t.ok(Math.abs(k.fmaPeak(1000) - 12 * a) < 1e-4, `fmaPeak(1000) = ${k.fmaPeak(1000)}, expected ~${12 * a}`);
});

t.test('adamStream adds g to p, m and v (28 bytes of traffic per element) and leaves g', async (t) => {
  const { k, memory } = instance();
  const n = 12;
  const base = 65536;
  const f = new Float32Array(memory.buffer, base, 4 * n);
  for (let i = 0; i < 4 * n; i++) f[i] = i;
  k.adamStream(base, base + 4 * n, base + 8 * n, base + 12 * n, n);
  for (let i = 0; i < n; i++) {
    const g = n + i;
    t.same([f[i], f[n + i], f[2 * n + i], f[3 * n + i]], [i + g, g, 2 * n + i + g, 3 * n + i + g], `element ${i}`);
  }
});

t.test('measureRoofline gives a row per thread count with positive rates', async (t) => {
  const r = await measureRoofline({ simd, maxThreads: 2, streamElements: 4096, fmaIters: 1000, reps: 1, rounds: 1 });
  t.same(r.rows.map((x) => x.threads), [1, 2]);
  t.ok(r.rows.every((x) => x.fmaGflops > 0 && Number.isFinite(x.fmaGflops) && x.streamGBs > 0 && Number.isFinite(x.streamGBs)));
});
