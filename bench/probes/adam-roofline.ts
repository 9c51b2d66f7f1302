// Adam kernel vs the roofline's Adam-shaped stream on the same number of elements, 1 thread, CPU time:
//   node --import tsx bench/probes/adam-roofline.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { wasmDir } from '../../ts/backend/wasm/loader.js';
const n = 9.2e6;
const be = await WasmBackend.create({ simd: 'relaxed', threads: 1 });
const mk = () => { const t = be.tensor([n]); be.randomUniform(t, { seed: 1, offset: 0, low: -1e-2, high: 1e-2 }); return t; };
const group = { params: [mk()], grads: [mk()], m: [mk()], v: [be.tensor([n])] };
be.fill(group.v[0]!, 1e-6);
let step = 1;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const adam = () => be.adam(group, { lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: step++, weightDecay: 0 });
// the stream probe over separate buffers of the same size in its own memory
const memory = new WebAssembly.Memory({ initial: Math.ceil((n * 16 + 65536) / 65536), maximum: 65536 });
const k = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(wasmDir(), 'probe.relaxed.wasm'))), { env: { memory } }).exports as { adamStream: (p: number, g: number, m: number, v: number, n: number) => void };
new Float32Array(memory.buffer, 65536, n * 4).fill(1e-3);
const stream = () => k.adamStream(65536, 65536 + n * 4, 65536 + n * 8, 65536 + n * 12, n);
const A: number[] = [], S: number[] = [];
for (let r = 0; r < 12; r++) {
  let t = cpu(); adam(); A.push(cpu() - t);
  t = cpu(); stream(); S.push(cpu() - t);
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
console.log(`1 thread, ${n / 1e6}M elements: adam ${med(A).toFixed(2)} ms (${(n * 28 / med(A) / 1e6).toFixed(1)} GB/s), stream ${med(S).toFixed(2)} ms (${(n * 28 / med(S) / 1e6).toFixed(1)} GB/s)`);
be.dispose();
