// Keeps a finished run as evidence in docs/runs/NAME (or, with --sweep, docs/runs/sweep/NAME): its config.json, its
// small text results (confusion-best.txt, parzen*.json), its metrics.jsonl, and its summary figures FIGURES_KEPT (the
// latent scatter, re-encoded losslessly as an indexed-colour PNG, and the reconstructions; the large sample grids are
// left out). Of metrics.jsonl every record but the per-step losses is kept, and STEP_RECORDS_KEPT evenly spaced step
// records (each epoch record holds the epoch's mean losses; the step records were 85 % of a run's bytes); numbers are
// written with 7 significant digits (the losses are means of float32 values; test errors have 4 or 5).
// --sweep keeps the config and metrics only. A kept run may be kept again in place (`npm run keep-run --
// docs/runs/NAME`) to apply these rules to it. `npm run reports` rebuilds report.html from what is kept.
//   npm run keep-run -- RUN_DIR [--sweep] [--out=DIR]   (DIR instead of docs/runs/NAME)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import pngjs from 'pngjs';
import { DataError } from '../ts/data/idx.js';
import { readRunConfig, runPaths } from '../ts/run/run-dir.js';
import { writeFileAtomic } from '../ts/util/atomic.js';
import { FileError } from '../ts/util/file-error.js';
import { encodeIndexedPng } from '../ts/viz/png.js';

const STEP_RECORDS_KEPT = 20;
const SIGNIFICANT_DIGITS = 7;
const FIGURES_KEPT = ['latent.png', 'reconstructions.png'];
const TEXT_BYTES_KEPT = 20_000;

/** metrics.jsonl's lines with the step records thinned (the last one always kept) and the numbers rounded. */
function thinMetrics(lines: string[]): string[] {
  const isStep = (l: string) => l.startsWith('{"type":"step"');
  const steps = lines.filter(isStep).length;
  const kept = new Set(Array.from({ length: STEP_RECORDS_KEPT }, (_, j) => steps - 1 - Math.floor((j * steps) / STEP_RECORDS_KEPT)));
  const round = (_: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(SIGNIFICANT_DIGITS)) : v);
  let step = 0;
  const keepLine = (l: string) => !isStep(l) || steps <= STEP_RECORDS_KEPT || kept.has(step++);
  return lines.filter(keepLine).map((l) => JSON.stringify(JSON.parse(l), round));
}

/** The PNG file's bytes, as an indexed-colour PNG where it is RGB of at most 256 colours and that is smaller. */
function smallestPng(file: string): Uint8Array {
  const bytes = readFileSync(file);
  const png = pngjs.PNG.sync.read(bytes);
  const rgb = new Uint8Array(3 * png.width * png.height);
  for (let p = 0; p < png.width * png.height; p++) rgb.set(png.data.subarray(4 * p, 4 * p + 3), 3 * p);
  const indexed = (png as unknown as { colorType: number }).colorType === 2 ? encodeIndexedPng({ width: png.width, height: png.height, rgb }) : undefined;
  return indexed && indexed.length < bytes.length ? indexed : bytes;
}

function keep(from: string, to: string, sweep: boolean): void {
  readRunConfig(from);
  const src = runPaths(from);
  const dst = runPaths(to);
  if (!existsSync(src.metrics)) throw new FileError(`${src.metrics}: missing; the run has no metrics to keep`, { file: src.metrics });
  const lines = readFileSync(src.metrics, 'utf8').split('\n').filter(Boolean);
  const small = (file: string, limit: number) => statSync(file).size <= limit;
  const texts = sweep ? [] : readdirSync(from).filter((f) => /^(confusion-best\.txt|parzen.*\.json)$/.test(f) && small(join(from, f), TEXT_BYTES_KEPT));
  const figures = sweep || !existsSync(src.figures) ? [] : readdirSync(src.figures);
  const inPlace = resolve(from) === resolve(to);
  mkdirSync(to, { recursive: true });
  if (!inPlace) {
    copyFileSync(src.config, dst.config);
    for (const f of texts) copyFileSync(join(from, f), join(to, f));
  }
  const thinned = thinMetrics(lines);
  writeFileAtomic(dst.metrics, `${thinned.join('\n')}\n`);
  for (const f of figures) {
    const file = join(src.figures, f);
    if (!FIGURES_KEPT.includes(f)) {
      if (inPlace) rmSync(file);
      continue;
    }
    mkdirSync(dst.figures, { recursive: true });
    writeFileAtomic(join(dst.figures, f), smallestPng(file));
  }
  console.log(`keep-run: ${from} -> ${to} (${lines.length} metrics records -> ${thinned.length})`);
}

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const dirs = args.filter((a) => !a.startsWith('--'));
const unknown = flags.find((f) => f !== '--sweep' && !f.startsWith('--out='));
if (dirs.length !== 1 || unknown) {
  console.error(unknown ? `keep-run: unknown flag ${unknown}; expected --sweep or --out=DIR` : 'keep-run: expected one run directory: npm run keep-run -- RUN_DIR [--sweep] [--out=DIR]');
  process.exit(2);
}
const sweep = flags.includes('--sweep');
const kept = join(import.meta.dirname, '..', 'docs', 'runs');
const from = dirs[0]!;
const out = flags.find((f) => f.startsWith('--out='))?.slice('--out='.length);
const to = out ?? (resolve(from).startsWith(kept + '/') ? from : join(kept, ...(sweep ? ['sweep'] : []), basename(resolve(from))));
try {
  keep(from, to, sweep);
} catch (e) {
  if (!(e instanceof DataError || e instanceof FileError)) throw e;
  console.error(`keep-run: ${e.message}`);
  process.exit(2);
}
