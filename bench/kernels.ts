// Kernel suites, for each Wasm build (relaxed / plain SIMD) and thread count: GEMM GFLOP/s on the AAE layer shapes,
// Adam GB/s over the semi-supervised model's parameters, dropout and the random fills (Philox), and the fused
// losses with their gradients, at the shapes one training iteration runs them.
import b from 'benny';
import { type Backend, type Tensor } from '../ts/backend/backend.js';
import { WasmBackend } from '../ts/backend/wasm/wasm-backend.js';
import { type AaeConfig } from '../ts/models/config.js';
import { type Sampling, type WasmConfig } from './plan.js';
import { timing } from './stats.js';

export interface GemmShape {
  M: number;
  K: number;
  N: number;
  transA?: boolean;
  transB?: boolean;
}

/** The GEMMs of an AAE with `hidden`-unit nets at batch B (1000 and 100 in the benchmark). */
export function gemmShapes(B: number, hidden: number): GemmShape[] {
  return [
    { M: B, K: 784, N: hidden },
    { M: B, K: hidden, N: hidden },
    { M: B, K: hidden, N: 784 },
    { M: hidden, K: B, N: hidden, transA: true },
    { M: B, K: hidden, N: 1 },
    { M: B, K: hidden, N: hidden, transB: true },
  ];
}

/** The shape whose rate the efficiency line and the scaling prediction use: (B, hidden) x (hidden, hidden). */
export const squareGemm = (B: number, hidden: number): GemmShape => ({ M: B, K: hidden, N: hidden });

export const shapeName = (s: GemmShape): string => `(${s.M},${s.K},${s.N})${s.transA ? ' A^T' : ''}${s.transB ? ' B^T' : ''}`;

/** Parameter tensor shapes of the semi-supervised AAE (Q, P, D_cat, D_gauss). */
function adamShapes(h: number): number[][] {
  return [
    [h, 784], [h], [h, h], [h], [10, h], [10], [2, h], [2],
    [h, 12], [h], [h, h], [h], [784, h], [784],
    [h, 10], [h], [h, h], [h], [1, h], [1],
    [h, 2], [h], [h, h], [h], [1, h], [1],
  ];
}

export type RateUnit = 'GFLOP/s' | 'GB/s' | 'Melem/s';

export interface KernelRow {
  config: string;
  case: string;
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  rate: number;
  unit: RateUnit;
}

export const configName = (c: WasmConfig): string => `wasm ${c.simd} ${c.threads}t`;

const filled = (be: Backend, shape: number[], low = -1, high = 1): Tensor => {
  const t = be.tensor(shape);
  be.randomUniform(t, { seed: 1, offset: 0, low, high });
  return t;
};

interface KernelCase {
  name: string;
  run: () => void;
  /** Work per call in the unit's numerator: FLOPs, bytes or elements. */
  work: number;
  unit: RateUnit;
}

/** Every kernel case on `be` for a model of config's size. */
function kernelCases(be: Backend, config: AaeConfig): KernelCase[] {
  const B = config.batch;
  const H = config.hidden;
  const cases: KernelCase[] = gemmShapes(B, H).map((s) => {
    const a = filled(be, s.transA ? [s.K, s.M] : [s.M, s.K]);
    const w = filled(be, s.transB ? [s.N, s.K] : [s.K, s.N]);
    const out = be.tensor([s.M, s.N]);
    const bias = filled(be, [s.N]);
    const options = { transA: !!s.transA, transB: !!s.transB, bias, activation: 'relu' as const };
    return { name: `gemm ${shapeName(s)}`, run: () => be.matmul(a, w, out, options), work: 2 * s.M * s.N * s.K, unit: 'GFLOP/s' };
  });

  const shapes = adamShapes(H);
  const group = { params: shapes.map((s) => filled(be, s)), grads: shapes.map((s) => filled(be, s)), m: shapes.map((s) => filled(be, s)), v: shapes.map((s) => be.tensor(s)) };
  const nParams = group.params.reduce((s, p) => s + p.size, 0);
  let step = 1;
  // Adam reads params, grads, m, v and writes params, m, v: 7 floats of traffic per parameter.
  cases.push({ name: `adam ${(nParams / 1e6).toFixed(2)}M params`, run: () => be.adam(group, { lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: step++, weightDecay: 0 }), work: nParams * 7 * 4, unit: 'GB/s' });

  const h = filled(be, [B, H], 0, 1); // a hidden activation: (B, hidden)
  const hOut = be.tensor([B, H]);
  const mask = be.tensor([B, H]);
  let offset = 0;
  cases.push({ name: `dropout forward (${B},${H}) p=0.25`, run: () => be.dropout(h, hOut, mask, { seed: 1, offset: (offset += B * H), p: 0.25 }), work: B * H, unit: 'Melem/s' });
  cases.push({ name: `dropout backward (${B},${H})`, run: () => be.dropoutBackward(h, mask, hOut), work: B * H, unit: 'Melem/s' });
  const db = be.tensor([H]);
  cases.push({ name: `relu + dropout backward with bias grad (${B},${H})`, run: () => be.reluDropoutBackward(h, mask, hOut, { p: 0.25, db }), work: B * H, unit: 'Melem/s' });
  cases.push({ name: `randomNormal (${B},${H})`, run: () => be.randomNormal(hOut, { seed: 1, offset: (offset += B * H) }), work: B * H, unit: 'Melem/s' });
  const cat = be.tensor([B, config.classes]);
  cases.push({ name: `randomCategorical (${B},${config.classes})`, run: () => be.randomCategorical(cat, { seed: 1, offset: (offset += B) }), work: B, unit: 'Melem/s' });

  const xHat = filled(be, [B, 784], 0.01, 0.99); // P's sigmoid output: (B, 784)
  const x = filled(be, [B, 784], 0, 1);
  const dXHat = be.tensor([B, 784]);
  const loss = be.tensor([1]);
  cases.push({ name: `bceWithSigmoid + grad (${B},784)`, run: () => be.bceWithSigmoid(xHat, x, loss, dXHat), work: B * 784, unit: 'Melem/s' });
  const logits = filled(be, [B, config.classes]); // Q's class logits: (B, classes)
  const dLogits = be.tensor([B, config.classes]);
  cases.push({ name: `softmax (${B},${config.classes})`, run: () => be.softmax(logits, dLogits), work: B * config.classes, unit: 'Melem/s' });
  cases.push({ name: `crossEntropy + grad (${B},${config.classes})`, run: () => be.crossEntropy(logits, cat, loss, dLogits), work: B * config.classes, unit: 'Melem/s' });
  const dReal = filled(be, [B, 1], 0.01, 0.99); // discriminator outputs: (B, 1)
  const dFake = filled(be, [B, 1], 0.01, 0.99);
  const gReal = be.tensor([B, 1]);
  const gFake = be.tensor([B, 1]);
  cases.push({ name: `discriminatorLoss + grads (${B},1)`, run: () => be.discriminatorLoss(dReal, dFake, loss, gReal, gFake), work: 2 * B, unit: 'Melem/s' });
  cases.push({ name: `generatorLoss + grad (${B},1)`, run: () => be.generatorLoss(dFake, loss, gFake), work: B, unit: 'Melem/s' });
  return cases;
}

export async function runKernelSuites(options: { folder: string; configs: WasmConfig[]; model: AaeConfig; sampling: Sampling }): Promise<KernelRow[]> {
  const rows: KernelRow[] = [];
  for (const c of options.configs) {
    const be = await WasmBackend.create(c);
    const config = configName(c);
    const cases = kernelCases(be, options.model);
    const file = `kernels-${c.simd}-${c.threads}t`;
    const summary = await b.suite(
      `kernels ${config}`,
      ...cases.map((k) => b.add(k.name, k.run)),
      b.configure({ cases: options.sampling }),
      b.cycle(),
      b.save({ folder: options.folder, file, format: 'json', details: true }),
      b.save({ folder: options.folder, file, format: 'csv' }),
      b.save({ folder: options.folder, file, format: 'chart.html' }),
    );
    for (const r of summary.results) {
      const k = cases.find((x) => x.name === r.name)!;
      const t = timing(r.details);
      const scale = k.unit === 'Melem/s' ? 1e6 : 1e9;
      rows.push({ config, case: r.name, ...t, rate: k.work / (t.medianMs / 1e3) / scale, unit: k.unit });
    }
    be.dispose();
  }
  return rows;
}
