// Memory: peak RSS and Wasm arena of each model's training on Wasm (one child process per model, bench/memory-child.ts),
// and the soak: 10 000 iterations of the semi-supervised model with RSS and arena sampled along the way.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type AaeConfig } from '../ts/models/config.js';
import { writeFileAtomic } from '../ts/util/atomic.js';
import { lineChart } from '../ts/viz/report.js';
import { type MemoryReport } from './memory-child.js';

export function runMemoryChild(options: { config: AaeConfig; iterations: number; every: number; threads: number }): MemoryReport {
  const c = options.config;
  const args = ['--import', 'tsx', 'bench/memory-child.ts', `--model=${c.kind}`, `--hidden=${c.hidden}`, `--batch=${c.batch}`,
    `--iterations=${options.iterations}`, `--every=${options.every}`, `--threads=${options.threads}`];
  // The child's stderr (its progress lines, any error) goes straight to ours. A Ctrl-C reaches the child too, which
  // stops and reports what it ran; this process ignores it until the child is done.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 3 * 3600_000, maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] });
  process.off('SIGINT', ignore);
  if (r.status !== 0) throw new Error(`bench/memory-child.ts --model=${c.kind} failed (exit ${String(r.status ?? r.signal)}; its error is printed above)`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as MemoryReport;
}

export interface SoakVerdict {
  flat: boolean;
  /** RSS after the first tenth of the run (the warm-up: JIT, arena, worker stacks) and at the end. */
  rssWarmMB: number;
  rssEndMB: number;
  /** Least-squares slope of RSS over the run's second half. */
  slopeMBPer1000: number;
  wasmMinMB: number;
  wasmMaxMB: number;
  line: string;
}

/** Flat: the arena never changes size and RSS grows by less than max(2 %, 16 MB) after warm-up. */
export function soakVerdict(report: MemoryReport): SoakVerdict {
  const s = report.samples;
  const warm = s.find((x) => x.iteration >= report.iterations / 10) ?? s[0]!;
  const end = s.at(-1)!;
  const half = s.filter((x) => x.iteration >= report.iterations / 2);
  const mx = half.reduce((a, x) => a + x.iteration, 0) / half.length;
  const my = half.reduce((a, x) => a + x.rssMB, 0) / half.length;
  const sxx = half.reduce((a, x) => a + (x.iteration - mx) ** 2, 0);
  const slope = sxx > 0 ? half.reduce((a, x) => a + (x.iteration - mx) * (x.rssMB - my), 0) / sxx : 0;
  const wasm = s.map((x) => x.wasmMB);
  const [wasmMinMB, wasmMaxMB] = [Math.min(...wasm), Math.max(...wasm)];
  const growth = end.rssMB - warm.rssMB;
  const flat = wasmMinMB === wasmMaxMB && growth < Math.max(16, 0.02 * warm.rssMB);
  const stopped = report.stoppedBy ? ` (stopped by ${report.stoppedBy} after ${report.iterations} iterations)` : '';
  const line = `${flat ? 'flat' : 'NOT flat'}${stopped}: RSS ${warm.rssMB} MB at iteration ${warm.iteration}, ${end.rssMB} MB at ${end.iteration} ` +
    `(${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB; second-half slope ${(slope * 1000).toFixed(2)} MB per 1000 iterations); ` +
    `Wasm arena ${wasmMinMB === wasmMaxMB ? `constant at ${wasmMinMB} MB` : `${wasmMinMB}-${wasmMaxMB} MB`}`;
  return { flat, rssWarmMB: warm.rssMB, rssEndMB: end.rssMB, slopeMBPer1000: slope * 1000, wasmMinMB, wasmMaxMB, line };
}

/** The soak: one long training run in a child process; writes soak.json and the soak.svg chart into the folder. */
export function runSoak(options: { folder: string; config: AaeConfig; iterations: number; every: number; threads: number }): { report: MemoryReport; verdict: SoakVerdict; chart: string } {
  const report = runMemoryChild(options);
  const chart = 'soak.svg';
  const svg = lineChart(`Soak: ${report.iterations} ${report.model} iterations on Wasm`, [
    { name: 'RSS MB', points: report.samples.map((x) => [x.iteration, x.rssMB]) },
    { name: 'Wasm arena MB', points: report.samples.map((x) => [x.iteration, x.wasmMB]) },
  ], { xLabel: 'iteration', yLabel: 'MB' });
  writeFileAtomic(join(options.folder, chart), `${svg.replace(/^<figure>/, '').replace(/<\/figure>$/, '')}\n`);
  writeFileAtomic(join(options.folder, 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
  return { report, verdict: soakVerdict(report), chart };
}
