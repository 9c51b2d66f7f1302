// Kernel suites: GEMM GFLOP/s on the AAE layer shapes and Adam GB/s over the semi-supervised model's parameters,
// for each Wasm build (relaxed / plain SIMD) and thread count.
import b from 'benny';
import { type Backend, type Tensor } from '../ts/backend/backend.js';
import { WasmBackend } from '../ts/backend/wasm/wasm-backend.js';

export interface GemmShape {
  M: number;
  K: number;
  N: number;
  transA?: boolean;
  transB?: boolean;
}

/** The GEMMs of a 1000-unit AAE at batch 100. */
export const GEMM_SHAPES: GemmShape[] = [
  { M: 100, K: 784, N: 1000 },
  { M: 100, K: 1000, N: 1000 },
  { M: 100, K: 1000, N: 784 },
  { M: 1000, K: 100, N: 1000, transA: true },
  { M: 100, K: 1000, N: 1 },
  { M: 100, K: 1000, N: 1000, transB: true },
];

export const shapeName = (s: GemmShape): string => `(${s.M},${s.K},${s.N})${s.transA ? ' A^T' : ''}${s.transB ? ' B^T' : ''}`;

/** Parameter tensor shapes of the semi-supervised AAE (Q, P, D_cat, D_gauss): 3.8 M floats. */
const ADAM_SHAPES = [
  [1000, 784], [1000], [1000, 1000], [1000], [10, 1000], [10], [2, 1000], [2],
  [1000, 12], [1000], [1000, 1000], [1000], [784, 1000], [784],
  [1000, 10], [1000], [1000, 1000], [1000], [1, 1000], [1],
  [1000, 2], [1000], [1000, 1000], [1000], [1, 1000], [1],
];

export interface KernelRow {
  config: string;
  case: string;
  medianMs: number;
  rate: number;
  unit: 'GFLOP/s' | 'GB/s';
}

const fill = (be: Backend, shape: number[]): Tensor => {
  const t = be.tensor(shape);
  be.randomUniform(t, { seed: 1, offset: 0, low: -1, high: 1 });
  return t;
};

export async function runKernelSuites(folder: string, configs: { simd: 'relaxed' | 'plain'; threads: number }[]): Promise<KernelRow[]> {
  const rows: KernelRow[] = [];
  for (const c of configs) {
    const be = await WasmBackend.create(c);
    const config = `wasm ${c.simd} ${c.threads}t`;
    const flops = new Map<string, number>();
    const cases = GEMM_SHAPES.map((s) => {
      const a = fill(be, s.transA ? [s.K, s.M] : [s.M, s.K]);
      const bm = fill(be, s.transB ? [s.N, s.K] : [s.K, s.N]);
      const out = be.tensor([s.M, s.N]);
      const bias = fill(be, [s.N]);
      flops.set(`gemm ${shapeName(s)}`, 2 * s.M * s.N * s.K);
      return b.add(`gemm ${shapeName(s)}`, () => be.matmul(a, bm, out, { transA: !!s.transA, transB: !!s.transB, bias, activation: 'relu' }));
    });
    const params = ADAM_SHAPES.map((s) => fill(be, s));
    const group = { params, grads: ADAM_SHAPES.map((s) => fill(be, s)), m: ADAM_SHAPES.map((s) => fill(be, s)), v: ADAM_SHAPES.map((s) => be.tensor(s)) };
    const nParams = params.reduce((s, p) => s + p.size, 0);
    let step = 1;
    const adam = b.add(`adam ${(nParams / 1e6).toFixed(1)}M params`, () => be.adam(group, { lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: step++, weightDecay: 0 }));
    const summary = await b.suite(
      `kernels ${config}`,
      ...cases,
      adam,
      b.configure({ cases: { minSamples: 20, maxTime: 1.5 } }),
      b.cycle(),
      b.save({ folder, file: `kernels-${c.simd}-${c.threads}t`, format: 'json', details: true }),
      b.save({ folder, file: `kernels-${c.simd}-${c.threads}t`, format: 'csv' }),
      b.save({ folder, file: `kernels-${c.simd}-${c.threads}t`, format: 'chart.html' }),
    );
    for (const r of summary.results) {
      const median = r.details.median;
      const f = flops.get(r.name);
      // Adam reads params, grads, m, v and writes params, m, v: 7 floats of traffic per parameter.
      rows.push(f ? { config, case: r.name, medianMs: median * 1e3, rate: f / median / 1e9, unit: 'GFLOP/s' }
        : { config, case: r.name, medianMs: median * 1e3, rate: (nParams * 7 * 4) / median / 1e9, unit: 'GB/s' });
    }
    be.dispose();
  }
  return rows;
}
