// The machine's ceilings for one training iteration, measured in the same run as everything else: the f32x4
// multiply-add peak (the most any 128-bit-SIMD GEMM can reach on these cores) and the bandwidth of Adam's memory
// traffic over buffers of the model's size (the most any Adam can reach). With them the summary states the floor
// of a semi-supervised iteration on this machine (its GEMM FLOPs at the peak plus its Adam bytes at the bandwidth)
// and so the largest ratio to a peer that any Wasm implementation could show here.
// Each thread count runs that many worker threads at once, started together from a shared barrier; each worker
// instantiates asm/probe.ts (build/wasm/probe.*.wasm) over its own memory.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { wasmDir } from '../ts/backend/wasm/loader.js';

export interface RooflineRow {
  threads: number;
  /** f32x4 multiply-add throughput of all threads together. */
  fmaGflops: number;
  /** Adam-shaped traffic (7 floats per element) of all threads together, over `streamElements` elements. */
  streamGBs: number;
}

export interface Roofline {
  simd: 'relaxed' | 'plain';
  streamElements: number;
  rows: RooflineRow[];
}

// Worker: waits at the barrier, runs the probe `reps` times, posts the best time in ms. The timing starts after
// the barrier so every worker measures the same concurrent window.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, barrier, probe, n, iters, reps } = workerData;
const pages = Math.max(16, Math.ceil((n * 16 + 65536) / 65536));
const memory = new WebAssembly.Memory({ initial: pages, maximum: 65536 });
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const base = 65536, bytes = n * 4;
if (probe === 'stream') new Float32Array(memory.buffer, base, n * 4).fill(1e-3);
const run = () => (probe === 'fma' ? k.fmaPeak(iters) : k.adamStream(base, base + bytes, base + 2 * bytes, base + 3 * bytes, n));
run();
parentPort.postMessage('ready');
Atomics.wait(new Int32Array(barrier), 0, 0);
let best = Infinity;
for (let r = 0; r < reps; r++) {
  const t = performance.now();
  run();
  best = Math.min(best, performance.now() - t);
}
parentPort.postMessage(best);
`;

async function concurrent(options: { module: WebAssembly.Module; threads: number; probe: 'fma' | 'stream'; n: number; iters: number; reps: number }): Promise<number[]> {
  const barrier = new SharedArrayBuffer(4);
  const flag = new Int32Array(barrier);
  const workers = Array.from({ length: options.threads }, () =>
    new Worker(WORKER, { eval: true, workerData: { module: options.module, barrier, probe: options.probe, n: options.n, iters: options.iters, reps: options.reps } }));
  // Each worker posts 'ready' (warmed up, waiting at the barrier), then its best time; once() rejects on a worker
  // error. The second listeners are attached before the event loop can deliver any time.
  const next = () => Promise.all(workers.map(async (w) => (await once(w, 'message'))[0] as unknown));
  try {
    await next();
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    return (await next()) as number[];
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The roofline rows for 1..maxThreads threads. streamElements: the Adam elements of one iteration (split over the
 * threads, so the buffers total the model's optimiser state); fmaIters: multiply-add iterations per worker run.
 * Each measurement runs `rounds` times and keeps the fastest: a ceiling is a maximum, and on a shared VM
 * one round can lose a core to a neighbour (2026-12-02, AMD EPYC: single rounds of the 2-thread peak read 54-107
 * GFLOP/s back to back).
 */
export async function measureRoofline(options: { simd: 'relaxed' | 'plain'; maxThreads: number; streamElements: number; fmaIters: number; reps: number; rounds: number }): Promise<Roofline> {
  const module = new WebAssembly.Module(readFileSync(join(wasmDir(), `probe.${options.simd}.wasm`)));
  // The slowest worker's best time in the fastest of `rounds` concurrent windows.
  const fastest = async (threads: number, probe: 'fma' | 'stream', n: number, iters: number): Promise<number> => {
    let best = Infinity;
    for (let r = 0; r < options.rounds; r++) best = Math.min(best, Math.max(...(await concurrent({ module, threads, probe, n, iters, reps: options.reps }))));
    return best;
  };
  const rows: RooflineRow[] = [];
  for (let threads = 1; threads <= options.maxThreads; threads++) {
    const fmaMs = await fastest(threads, 'fma', 0, options.fmaIters);
    const fmaGflops = (threads * options.fmaIters * 96) / (fmaMs / 1e3) / 1e9;
    const n = Math.ceil(options.streamElements / threads / 4) * 4;
    const streamMs = await fastest(threads, 'stream', n, 0);
    const streamGBs = (threads * n * 28) / (streamMs / 1e3) / 1e9;
    rows.push({ threads, fmaGflops, streamGBs });
  }
  return { simd: options.simd, streamElements: options.streamElements, rows };
}
