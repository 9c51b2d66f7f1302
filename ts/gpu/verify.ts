// `npm run gpu:verify [-- --out DIR]`: everything a machine with an NVIDIA GPU must confirm, from the built outputs
// alone (dist/, build/native/Release/aae_cuda.node, build/wasm/*.wasm; no node_modules, no network):
//   1. op parity: every CUDA op against the float64 reference on awkward and AAE shapes;
//   2. model parity: 10 training iterations of each model with small nets against the float64 reference and at full
//      size against Wasm, from the same seed; and on CUDA with CUDA Graphs against CUDA without (bit-identical);
//   3. benchmark: GEMM GFLOP/s on the AAE shapes, ms per training iteration with and without graphs, and the wall
//      time of 15 000 semi-supervised iterations with graphs (the reference code's 500-epoch run).
// Writes DIR/results.json and DIR/summary.md; exits 1 if any check fails.
// --self-test runs the same checks with the Wasm backend (relaxed build) in CUDA's place, against the reference and
// the plain-SIMD build, so the harness itself is tested on machines without a GPU (test/gpu/verify.test.ts).
// --backend=cpu [--isa=avx512|avx2|portable] runs checks 1 and 2 on the native CPU backend in CUDA's place, against
// the reference and Wasm; --ops-only stops after check 1 (test/backend/cpu.test.ts runs every check with the best
// instruction set, and the op checks with each other one the machine has).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { type Activation, type Backend, type Tensor } from '../backend/backend.js';
import { type CpuIsa, cpuStatus, createCpuBackend } from '../backend/cpu/index.js';
import { createCudaBackend, cudaStatus } from '../backend/cuda/index.js';
import { ReferenceBackend } from '../backend/reference.js';
import { WasmBackend } from '../backend/wasm/wasm-backend.js';
import { type StepBatch } from '../models/autoencoder.js';
import { type AaeConfig, MODEL_KINDS, type ModelKind, defaultConfig } from '../models/config.js';
import { createModel } from '../models/create.js';
import { kindsWith } from '../models/traits.js';
import { RngStream } from '../rng.js';
import { GraphedStep } from '../train/graph-step.js';
import { runPytorchStep } from './pytorch-peer.js';
import { randomArray as data } from '../util/fixtures.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const checks: Check[] = [];
const record = (name: string, ok: boolean, detail: string) => {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};

function worst(a: Float32Array, b: Float32Array, atol: number, rtol: number): { ok: boolean; err: number } {
  let err = 0;
  let ok = a.length === b.length;
  for (let i = 0; i < a.length && ok; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    err = Math.max(err, d);
    if (!(d <= atol + rtol * Math.abs(b[i]!))) ok = false;
  }
  return { ok, err };
}

/** Runs op on both backends with the same inputs and compares the outputs. */
function parity(name: string, be: Backend, ref: Backend, inputs: Record<string, [number[], Float32Array?]>, op: (b: Backend, x: Record<string, Tensor>) => void, outs: string[], atol = 1e-4, rtol = 1e-3): void {
  const run = (b: Backend) => {
    const x: Record<string, Tensor> = {};
    for (const [k, [shape, d]] of Object.entries(inputs)) x[k] = b.tensor(shape, d ?? new Float32Array(shape.reduce((p, q) => p * q, 1)));
    op(b, x);
    const r = outs.map((k) => b.download(x[k]!));
    Object.values(x).forEach((t) => b.free(t));
    return r;
  };
  try {
    const want = run(ref);
    const got = run(be);
    const results = outs.map((k, i) => ({ k, ...worst(got[i]!, want[i]!, atol, rtol) }));
    record(`op ${name}`, results.every((r) => r.ok), results.map((r) => `${r.k} max |diff| ${r.err.toExponential(1)}`).join(', '));
  } catch (e) {
    record(`op ${name}`, false, (e as Error).message);
  }
}

/** Gathers rows indices[first..] of a pixel tensor (shape) of `bytes` into out: (count, shape[1]); frees the pixels. */
function gatherPixels(b: Backend, shape: [number, number], bytes: Uint8Array, indices: Tensor, out: Tensor, first: number): void {
  const pixels = b.pixels(shape, bytes);
  b.gatherRows(pixels, indices, out, { first });
  b.free(pixels);
}

function opParity(be: Backend): void {
  const ref = new ReferenceBackend();
  const acts: Activation[] = ['none', 'relu', 'sigmoid'];
  let seed = 1;
  for (const [M, K, N] of [[1, 1, 1], [7, 13, 1], [13, 7, 100], [100, 1000, 1], [33, 65, 17], [100, 784, 1000]] as [number, number, number][]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const activation = acts[seed % 3]!;
        seed++;
        parity(`matmul (${M},${K},${N}) tA=${+transA} tB=${+transB} acc ${activation}`, be, ref, {
          a: [transA ? [K, M] : [M, K], data(M * K, seed)], b: [transB ? [N, K] : [K, N], data(K * N, seed + 1)],
          bias: [[N], data(N, seed + 2)], out: [[M, N], data(M * N, seed + 3)],
        }, (b, x) => b.matmul(x.a!, x.b!, x.out!, { transA, transB, accumulate: true, bias: x.bias!, activation }), ['out']);
      }
    }
  }
  for (const [rows, cols] of [[1, 1], [7, 13], [100, 10], [100, 784]] as [number, number][]) {
    const n = rows * cols;
    const y: [number[], Float32Array] = [[rows, cols], data(n, 5, 0, 1)];
    const d: [number[], Float32Array] = [[rows, cols], data(n, 6)];
    const e: [number[]] = [[rows, cols]];
    const s = `(${rows},${cols})`;
    for (const act of acts) parity(`activationBackward ${act} ${s}`, be, ref, { y, d, e }, (b, x) => b.activationBackward(x.y!, x.d!, x.e!, act), ['e']);
    parity(`biasGrad ${s}`, be, ref, { d, db: [[cols], data(cols, 7)] }, (b, x) => b.biasGrad(x.d!, x.db!, { accumulate: true }), ['db']);
    parity(`dropoutBackward ${s}`, be, ref, { y, d, e }, (b, x) => b.dropoutBackward(x.d!, x.y!, x.e!), ['e']);
    parity(`reluDropoutBackward ${s}`, be, ref, { y: [y[0], y[1].map((v) => (v < 0.3 ? 0 : v))], d, e }, (b, x) => b.reluDropoutBackward(x.y!, x.d!, x.e!, { p: 0.25 }), ['e']);
    parity(`reluDropoutBackward with db ${s}`, be, ref, { y, d, e, db: [[cols], data(cols, 8)] },
      (b, x) => b.reluDropoutBackward(x.y!, x.d!, x.e!, { p: 0.2, db: x.db!, accumulate: true }), ['e', 'db']);
    parity(`axpby ${s}`, be, ref, { y, d, e }, (b, x) => b.axpby(x.y!, x.d!, x.e!, { alpha: 0.5, beta: -2 }), ['e']);
    parity(`softmax ${s}`, be, ref, { d, e }, (b, x) => b.softmax(x.d!, x.e!), ['e']);
    parity(`softmaxBackward ${s}`, be, ref, { y, d, e }, (b, x) => b.softmaxBackward(x.y!, x.d!, x.e!), ['e']);
    parity(`copy columns ${s}`, be, ref, { d, e: [[rows, cols + 3]] }, (b, x) => b.copy(x.d!, x.e!, { dstCol: 3 }), ['e']);
    parity(`fill, sum ${s}`, be, ref, { d, e, l: [[1]] }, (b, x) => { b.fill(x.e!, 0.25); b.sum(x.d!, x.l!); }, ['e', 'l']);
    parity(`bceWithSigmoid ${s}`, be, ref, { y, t: [[rows, cols], data(n, 8, 0, 1)], l: [[1]], e }, (b, x) => b.bceWithSigmoid(x.y!, x.t!, x.l!, x.e!), ['l', 'e']);
    parity(`crossEntropy ${s}`, be, ref, { d, t: [[rows, cols], data(n, 9, 0, 1)], l: [[1]], e }, (b, x) => b.crossEntropy(x.d!, x.t!, x.l!, x.e!), ['l', 'e']);
    parity(`flagNonFinite ${s}`, be, ref, { d: [d[0], d[1].map((v, i) => (i === n - 1 ? NaN : v))], l: [[1]], l2: [[1]], e: [[rows, cols], d[1]] },
      (b, x) => { b.flagNonFinite(x.d!, x.l!); b.flagNonFinite(x.e!, x.l2!); }, ['l', 'l2'], 0, 0);
    parity(`entropy ${s}`, be, ref, { d, l: [[1]], e }, (b, x) => b.entropy(x.d!, x.l!, x.e!), ['l', 'e']);
    if (cols <= 1024) parity(`marginalEntropy ${s}`, be, ref, { d, l: [[1]], e }, (b, x) => b.marginalEntropy(x.d!, x.l!, x.e!), ['l', 'e']);
    parity(`l2NormalizeRows ${s}`, be, ref, { d, e, s: [[rows], data(rows, 11, 0.1, 3)] },
      (b, x) => { b.l2NormalizeRows(x.d!, x.e!, { scale: 2, rowScales: x.s! }); b.l2NormalizeRows(x.d!, x.d!, { scale: 0.1 }); }, ['e', 'd']);
    parity(`discriminator/generator losses ${s}`, be, ref, { y, y2: [[rows, cols], data(n, 10, 0, 1)], l: [[1]], l2: [[1]], e, e2: [[rows, cols]], e3: [[rows, cols]] },
      (b, x) => { b.discriminatorLoss(x.y!, x.y2!, x.l!, x.e!, x.e2!); b.generatorLoss(x.y2!, x.l2!, x.e3!); }, ['l', 'e', 'e2', 'l2', 'e3']);
    const heads = Math.min(cols, 30); // clusters
    parity(`clusterHeadCost (2,${heads})`, be, ref, { w: [[2, heads], data(2 * heads, 11, -3, 3)], l: [[1]], g: [[2, heads], data(2 * heads, 12)] },
      (b, x) => b.clusterHeadCost(x.w!, x.l!, x.g!, { eta: 2.5, weight: 0.7 }), ['l', 'g']);
    parity(`gatherRows ${s}`, be, ref, { d, i: [[5], Float32Array.of(0, rows - 1, 0, Math.floor(rows / 2), rows - 1)], o: [[5, cols]] }, (b, x) => b.gatherRows(x.d!, x.i!, x.o!), ['o']);
    parity(`gatherRows from index 2 ${s}`, be, ref, { d, i: [[5], Float32Array.of(0, rows - 1, 0, Math.floor(rows / 2), rows - 1)], o: [[3, cols]] }, (b, x) => b.gatherRows(x.d!, x.i!, x.o!, { first: 2 }), ['o']);
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
    parity(`gatherRows from pixels from index 2 ${s}`, be, ref, { i: [[5], Float32Array.of(0, rows - 1, 0, Math.floor(rows / 2), rows - 1)], o: [[3, cols]] },
      (b, x) => gatherPixels(b, [rows, cols], bytes, x.i!, x.o!, 2), ['o'], 0, 0);
    parity(`random ops ${s}`, be, ref, { u: [[rows, cols]], z: [[rows, cols]], m: [[rows, cols]], o: [[rows, cols]], c: [[rows, cols]], d },
      (b, x) => {
        b.randomUniform(x.u!, { seed: 3, offset: 2 ** 33 + 1, low: -1, high: 2 });
        b.randomNormal(x.z!, { seed: 4, offset: 5, mean: 1, std: 3 });
        b.dropout(x.d!, x.o!, x.m!, { p: 0.25, seed: 5, offset: 0 });
        b.randomCategorical(x.c!, { seed: 6, offset: 7 });
      }, ['u', 'z', 'm', 'o', 'c'], 1e-5, 1e-5);
  }
  // Row r holds byte r three times: every byte value must gather to Math.fround(b / 255), as the reference's does.
  parity('gatherRows from pixels: all 256 byte values', be, ref, { i: [[256], Float32Array.from({ length: 256 }, (_, r) => 255 - r)], o: [[256, 3]] },
    (b, x) => gatherPixels(b, [256, 3], Uint8Array.from({ length: 768 }, (_, i) => Math.floor(i / 3)), x.i!, x.o!, 0), ['o'], 0, 0);
  for (const [rows, h, w, c, maxShift] of [[1, 28, 28, 1, 2], [7, 28, 28, 1, 2], [100, 28, 28, 1, 3], [5, 6, 4, 3, 5]] as const) {
    const n = rows * h * w * c;
    parity(`randomTranslate (${rows}, ${h}x${w}x${c}) up to ${maxShift}`, be, ref, { x: [[rows, h * w * c], data(n, 13)], o: [[rows, h * w * c], data(n, 14)] },
      (b, x) => b.randomTranslate(x.x!, x.o!, { seed: 9, offset: 2 ** 35 + 1, height: h, width: w, maxShift }), ['o'], 0, 0);
  }
  const shapes = [[1000, 784], [1000], [7, 13]];
  const adamInputs: Record<string, [number[], Float32Array?]> = {};
  shapes.forEach((sh, i) => {
    const n = sh.reduce((p, q) => p * q, 1);
    adamInputs[`p${i}`] = [sh, data(n, 20 + i)];
    adamInputs[`g${i}`] = [sh, data(n, 30 + i, -0.1, 0.1)];
    adamInputs[`m${i}`] = [sh];
    adamInputs[`v${i}`] = [sh];
  });
  parity('adam, 3 steps', be, ref, adamInputs, (b, x) => {
    const ids = shapes.map((_, i) => i);
    const group = { params: ids.map((i) => x[`p${i}`]!), grads: ids.map((i) => x[`g${i}`]!), m: ids.map((i) => x[`m${i}`]!), v: ids.map((i) => x[`v${i}`]!) };
    for (let step = 1; step <= 3; step++) b.adam(group, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step, weightDecay: 0.01 });
  }, shapes.flatMap((_, i) => [`p${i}`, `m${i}`, `v${i}`]), 1e-6, 1e-4);
}

/**
 * 10 iterations from the same seed (replayed from a captured graph with `graphs`): each one's losses, and why graphs
 * were not used where they could not be.
 */
function tenSteps(be: Backend, config: AaeConfig, graphs = false): { losses: Record<string, number>[]; graphsOff?: string } {
  const model = createModel(be, config, new RngStream(11));
  const rng = new RngStream(11, 2 ** 32);
  const graphed = graphs ? new GraphedStep(be, model, rng) : undefined;
  const B = config.batch;
  const x = be.tensor([B, config.inFeatures], data(B * config.inFeatures, 1, 0, 1));
  const y = be.tensor([B, Math.max(1, config.classes)]);
  be.randomCategorical(y, { seed: 3, offset: 0 });
  const batch = { x, y, xLabeled: x, yLabeled: y };
  const losses: Record<string, number>[] = [];
  for (let i = 0; i < 10; i++) {
    if (graphed) graphed.step(batch);
    else model.step(batch, rng);
    losses.push(model.losses());
  }
  graphed?.dispose();
  return { losses, ...(graphed?.disabledReason ? { graphsOff: graphed.disabledReason } : {}) };
}

/** Every model with its reference settings, and those that take VAT (semi, cluster) with translations and VAT. */
function verifiedConfigs(): { name: string; config: AaeConfig }[] {
  const consistent = { augment: { translate: 2, height: 28, width: 28 }, vat: { eps: 2, xi: 0.1, weight: 1, entropyWeight: 1, marginalWeight: 0.4 } };
  return [
    ...MODEL_KINDS.map((kind) => ({ name: kind, config: defaultConfig(kind) })),
    ...kindsWith((t) => t.consistency).map((kind) => ({ name: `${kind} with translations and VAT`, config: { ...defaultConfig(kind), ...consistent } })),
  ];
}

function graphParity(be: Backend): void {
  for (const { name: kind, config } of verifiedConfigs()) {
    const eager = tenSteps(be, config).losses;
    const graphed = tenSteps(be, config, true);
    const diffs = eager.flatMap((losses, i) => Object.entries(losses).filter(([k, v]) => v !== graphed.losses[i]![k]).map(([k]) => `${k}@${i + 1}`));
    const detail = diffs.length ? `differ: ${diffs.slice(0, 5).join(', ')}` : 'bit-identical losses';
    record(`model ${kind}: 10 iterations replayed from a graph equal eager ones`, diffs.length === 0 && !graphed.graphsOff, graphed.graphsOff ? `${detail}; graphs not used: ${graphed.graphsOff}` : detail);
  }
}

/** Whether every loss of run a is within atol + rtol |b| of run b's, iteration by iteration; and the largest gap. */
function lossesAgree(a: Record<string, number>[], b: Record<string, number>[], tolerance: (iteration: number) => [number, number]): { ok: boolean; err: number } {
  let err = 0;
  let ok = a.length === b.length;
  a.forEach((losses, i) => {
    const [atol, rtol] = tolerance(i);
    for (const [k, v] of Object.entries(losses)) {
      const d = Math.abs(v - b[i]![k]!);
      err = Math.max(err, d);
      if (!(d <= atol + rtol * Math.abs(b[i]![k]!))) ok = false;
    }
  });
  return { ok, err };
}

/**
 * Two checks per model from the same seed. (1) 64-unit nets, 10 iterations, against the float64 reference: every loss
 * within 1e-5 + 1e-4 relative. (2) Full size (1000 units), 10 iterations, against Wasm: iteration 1 (forward and
 * backward passes) tight; later iterations 1e-3 + 5e-2 relative, room for the backends' float rounding as Adam and
 * the adversarial game carry it forward (the VAT loss, about 0.01 here, follows a perturbation direction that the
 * rounding moves). Check (1) is the one that caught Adam's (1 - beta2) rounded in float32 (1.3e-5 off), which (2)
 * passed until iteration 8.
 */
function modelParity(be: Backend, wasm: Backend, ref: Backend): void {
  for (const { name: kind, config } of verifiedConfigs()) {
    const small = { ...config, hidden: 64 };
    const s = lossesAgree(tenSteps(be, small).losses, tenSteps(ref, small).losses, () => [1e-5, 1e-4]);
    record(`model ${kind}: 10 iterations with 64-unit nets match the float64 reference`, s.ok, `max |loss diff| ${s.err.toExponential(2)}`);
    const full = lossesAgree(tenSteps(be, config).losses, tenSteps(wasm, config).losses, (i) => (i === 0 ? [1e-4, 1e-3] : [1e-3, 5e-2]));
    record(`model ${kind}: 10 iterations vs Wasm (batch 100, 1000 units)`, full.ok, `max |loss diff| ${full.err.toExponential(2)}`);
  }
}

function time(fn: () => void, sync: () => void, reps: number): number {
  fn();
  sync();
  const samples: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    sync();
    samples.push((performance.now() - t0) / reps);
  }
  return samples.sort((p, q) => p - q)[2]!;
}

function benchmark(be: Backend): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [M, K, N, tA] of [[100, 784, 1000, 0], [100, 1000, 1000, 0], [100, 1000, 784, 0], [1000, 100, 1000, 1], [100, 1000, 1, 0]] as number[][]) {
    const a = be.tensor(tA ? [K!, M!] : [M!, K!], data(M! * K!, 1));
    const b = be.tensor([K!, N!], data(K! * N!, 2));
    const c = be.tensor([M!, N!]);
    const ms = time(() => be.matmul(a, b, c, { transA: !!tA }), () => be.download(c), 50);
    out[`gemm (${M},${K},${N})${tA ? ' A^T' : ''} GFLOP/s`] = (2 * M! * N! * K!) / ms / 1e6;
  }
  const steps = new Map<ModelKind, { graphed: GraphedStep; batch: StepBatch; sync: () => void }>();
  for (const kind of ['semi', 'unsupervised'] as ModelKind[]) {
    const config = defaultConfig(kind);
    const model = createModel(be, config, new RngStream(1));
    const rng = new RngStream(1, 2 ** 32);
    const x = be.tensor([100, 784], data(78400, 3, 0, 1));
    const y = be.tensor([100, Math.max(1, config.classes)]);
    be.randomCategorical(y, { seed: 1, offset: 0 });
    const batch = { x, y, xLabeled: x, yLabeled: y };
    const sync = () => be.download(model.reconLoss);
    out[`${kind} iteration ms (no graphs)`] = time(() => model.step(batch, rng), sync, 20);
    const graphed = new GraphedStep(be, model, rng);
    out[`${kind} iteration ms (CUDA graphs)`] = time(() => graphed.step(batch), sync, 50);
    steps.set(kind, { graphed, batch, sync });
  }
  // 15000 semi-supervised iterations in a row, synchronised every 500 as training is when it logs the losses.
  const semi = steps.get('semi')!;
  const t0 = performance.now();
  for (let i = 0; i < 15000; i++) {
    semi.graphed.step(semi.batch);
    if (i % 500 === 499) semi.sync();
  }
  semi.sync();
  out['semi 15000 iterations s (CUDA graphs, measured)'] = (performance.now() - t0) / 1000;
  for (const { graphed } of steps.values()) graphed.dispose();
  return out;
}

async function main(): Promise<number> {
  const outIndex = process.argv.indexOf('--out');
  const dir = outIndex > 0 ? process.argv[outIndex + 1]! : 'gpu-results';
  const selfTest = process.argv.includes('--self-test');
  const cpu = process.argv.includes('--backend=cpu');
  const isa = process.argv.find((a) => a.startsWith('--isa='))?.slice(6) as CpuIsa | undefined;
  const cpuOk = cpu ? cpuStatus() : undefined;
  const status = selfTest
    ? { ok: true as const, device: 'Wasm relaxed SIMD standing in for CUDA (--self-test)' }
    : cpuOk
      ? cpuOk.ok ? { ok: true as const, device: `native CPU (${isa ?? cpuOk.isa})` } : cpuOk
      : cudaStatus();
  if (!status.ok) {
    console.error(`gpu:verify: ${status.reason}; ${status.fix}`);
    return 1;
  }
  console.log(`gpu:verify on ${status.device}`);
  const cuda = selfTest ? await WasmBackend.create({ simd: 'relaxed' }) : cpu ? createCpuBackend({ threads: 2, ...(isa && { isa }) }) : createCudaBackend();
  const wasm = await WasmBackend.create(selfTest ? { simd: 'plain' } : {});
  opParity(cuda);
  if (!process.argv.includes('--ops-only')) {
    modelParity(cuda, wasm, new ReferenceBackend());
    graphParity(cuda);
  }
  const bench = selfTest || cpu ? {} : benchmark(cuda);
  if (!selfTest && !cpu) {
    // PyTorch eager on the same GPU, same iteration (bench/pytorch_step.py), where a Python with torch exists.
    const torch = runPytorchStep({ device: 'cuda', threads: os.cpus().length, iters: 200 });
    if ('skipped' in torch) console.log(`bench pytorch: skipped (${torch.skipped})`);
    else {
      bench[`pytorch ${torch.framework} eager semi iteration ms`] = torch.ms_median;
      bench['ours (CUDA graphs) faster than pytorch eager by x'] = torch.ms_median / bench['semi iteration ms (CUDA graphs)']!;
    }
  }
  for (const [k, v] of Object.entries(bench)) console.log(`bench ${k}: ${v.toFixed(2)}`);
  wasm.dispose();
  cuda.dispose();
  mkdirSync(dir, { recursive: true });
  const failed = checks.filter((c) => !c.ok);
  const meta = { device: status.device, node: process.version, host: os.cpus()[0]?.model, date: new Date().toISOString() };
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify({ ...meta, checks, bench }, null, 2)}\n`);
  writeFileSync(join(dir, 'summary.md'), [
    `# gpu:verify on ${status.device}`, '', `node ${meta.node}, host ${meta.host}, ${meta.date}`, '',
    `${checks.length - failed.length} of ${checks.length} checks passed.`, '',
    ...failed.map((c) => `- FAIL ${c.name}: ${c.detail}`), '', '| benchmark | value |', '| --- | ---: |',
    ...Object.entries(bench).map(([k, v]) => `| ${k} | ${v.toFixed(2)} |`), '',
  ].join('\n'));
  console.log(`gpu:verify: ${checks.length - failed.length}/${checks.length} checks passed; results in ${dir}/`);
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
