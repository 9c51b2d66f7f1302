// Scaling on Wasm: the semi-supervised iteration against hidden width (batch 100) and against batch (1000 units),
// each point beside its GEMM-bound prediction: the iteration's GEMM FLOPs at the rate of the (B, H) x (H, H) GEMM
// measured at that point in the same suite. Charts: SVG line charts (ts/viz/report.ts's lineChart).
import { join } from 'node:path';
import b from 'benny';
import { type Backend, type Tensor } from '../ts/backend/backend.js';
import { createBackend } from '../ts/backend/select.js';
import { defaultConfig } from '../ts/models/config.js';
import { writeFileAtomic } from '../ts/util/atomic.js';
import { lineChart } from '../ts/viz/report.js';
import { iterationCase, iterationGemmFlops } from './iteration.js';
import { type Sampling, type WasmConfig } from './plan.js';
import { timing } from './stats.js';

export interface ScalingRow {
  hidden: number;
  batch: number;
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  gemmGflop: number;
  gemmRate: number;
  /** gemmGflop at gemmRate, in ms. */
  boundMs: number;
}

function gemmCase(be: Backend, B: number, H: number): () => void {
  const t = (shape: number[]): Tensor => {
    const x = be.tensor(shape);
    be.randomUniform(x, { seed: 1, offset: 0, low: -1, high: 1 });
    return x;
  };
  const a = t([B, H]); // a: (B, H)
  const w = t([H, H]); // w: (H, H)
  const out = be.tensor([B, H]);
  const bias = t([H]);
  return () => be.matmul(a, w, out, { bias, activation: 'relu' });
}

export async function runScalingSuite(options: { folder: string; wasm: WasmConfig; hidden: number[]; batch: number[]; sampling: Sampling; baseHidden: number; baseBatch: number }): Promise<ScalingRow[]> {
  const points = [
    ...options.hidden.map((hidden) => ({ hidden, batch: options.baseBatch })),
    ...options.batch.filter((batch) => batch !== options.baseBatch || !options.hidden.includes(options.baseHidden)).map((batch) => ({ hidden: options.baseHidden, batch })),
  ];
  const be = await createBackend('wasm', options.wasm);
  const name = (p: { hidden: number; batch: number }, what: string) => `${what} h=${p.hidden} b=${p.batch}`;
  const cases = points.flatMap((p) => {
    const config = { ...defaultConfig('semi'), hidden: p.hidden, batch: p.batch };
    return [b.add(name(p, 'iteration'), iterationCase(be, config).run), b.add(name(p, 'gemm'), gemmCase(be, p.batch, p.hidden))];
  });
  const summary = await b.suite(
    `scaling wasm ${options.wasm.simd} ${options.wasm.threads}t (semi-supervised iteration)`,
    ...cases,
    b.configure({ cases: options.sampling }),
    b.cycle(),
    b.save({ folder: options.folder, file: 'scaling', format: 'json', details: true }),
    b.save({ folder: options.folder, file: 'scaling', format: 'csv' }),
  );
  be.dispose();
  const result = (n: string) => timing(summary.results.find((r) => r.name === n)!.details);
  return points.map((p) => {
    const config = { ...defaultConfig('semi'), hidden: p.hidden, batch: p.batch };
    const it = result(name(p, 'iteration'));
    const gemmRate = (2 * p.batch * p.hidden * p.hidden) / (result(name(p, 'gemm')).medianMs / 1e3) / 1e9;
    const gemmGflop = iterationGemmFlops(config) / 1e9;
    return { ...p, medianMs: it.medianMs, p10Ms: it.p10Ms, p90Ms: it.p90Ms, gemmGflop, gemmRate, boundMs: (gemmGflop / gemmRate) * 1e3 };
  });
}

/** Writes scaling-hidden.svg and scaling-batch.svg into the folder; returns their file names. */
export function writeScalingCharts(folder: string, rows: ScalingRow[], base: { hidden: number; batch: number }): string[] {
  const charts = [
    { file: 'scaling-hidden.svg', rows: rows.filter((r) => r.batch === base.batch), x: (r: ScalingRow) => r.hidden, title: `Iteration time vs hidden width (batch ${base.batch})`, xLabel: 'hidden units' },
    { file: 'scaling-batch.svg', rows: rows.filter((r) => r.hidden === base.hidden), x: (r: ScalingRow) => r.batch, title: `Iteration time vs batch (${base.hidden} units)`, xLabel: 'batch' },
  ];
  for (const c of charts) {
    const sorted = [...c.rows].sort((a, z) => c.x(a) - c.x(z));
    const svg = lineChart(c.title, [
      { name: 'measured', points: sorted.map((r) => [c.x(r), r.medianMs]) },
      { name: 'GEMM-bound', points: sorted.map((r) => [c.x(r), r.boundMs]) },
    ], { xLabel: c.xLabel, yLabel: 'ms per iteration' });
    writeFileAtomic(join(folder, c.file), `${svg.replace(/^<figure>/, '').replace(/<\/figure>$/, '')}\n`);
  }
  return charts.map((c) => c.file);
}
