// docs/figures/accuracy-curves.svg and docs/figures/cluster-curves.svg: per epoch, the mean over seeds 1-3 of every
// recipe kept in docs/runs/ with all three seeds (docs/runs/RECIPE-s1, -s2, -s3 for a RECIPE in recipes/): test error
// of the semi-supervised recipes, cluster error of the clustering ones (from each run's metrics.jsonl, the records
// its report.html draws). Run after `npm run build`:
//   node scripts/accuracy-curves.mjs
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { lineChart } = await import(join(root, 'dist', 'viz', 'report.js'));
const { writeFileAtomic } = await import(join(root, 'dist', 'util', 'atomic.js'));

const SEEDS = [1, 2, 3];
const runsDir = join(root, 'docs', 'runs');
const recipes = readdirSync(join(root, 'recipes')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

/** Per epoch, the error in % of one run: 100 x testError, or 100 x (1 - clusterAccuracy). */
function errors(run) {
  const records = readFileSync(join(runsDir, run, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const epochs = records.filter((r) => r.type === 'epoch');
  if (epochs.every((r) => Number.isFinite(r.testError))) return { kind: 'test', points: epochs.map((r) => [r.epoch, 100 * r.testError]) };
  if (epochs.every((r) => Number.isFinite(r.clusterAccuracy))) return { kind: 'cluster', points: epochs.map((r) => [r.epoch, 100 * (1 - r.clusterAccuracy)]) };
  return { kind: 'none', points: [] };
}

/** The mean over runs at each epoch that every run reached. */
function mean(curves) {
  const epochs = Math.min(...curves.map((c) => c.length));
  return Array.from({ length: epochs }, (_, i) => [curves[0][i][0], curves.reduce((s, c) => s + c[i][1], 0) / curves.length]);
}

const charts = { test: [], cluster: [] };
for (const recipe of recipes) {
  const runs = SEEDS.map((s) => `${recipe}-s${s}`);
  if (!runs.every((r) => existsSync(join(runsDir, r, 'metrics.jsonl')))) continue;
  const curves = runs.map(errors);
  const kind = curves[0].kind;
  if (kind === 'none' || curves.some((c) => c.kind !== kind || c.points.length === 0)) continue;
  charts[kind].push({ name: recipe, points: mean(curves.map((c) => c.points)) });
}

const figures = [
  { kind: 'test', file: 'accuracy-curves.svg', title: 'Test error per epoch, mean of seeds 1-3', yLabel: 'test error (%)' },
  { kind: 'cluster', file: 'cluster-curves.svg', title: 'Cluster error per epoch, mean of seeds 1-3', yLabel: 'cluster error (%)' },
];
for (const { kind, file, title, yLabel } of figures) {
  const series = charts[kind];
  if (series.length === 0) {
    console.error(`accuracy-curves: no recipe in docs/runs/ has seeds 1-3 with ${kind} errors in their metrics.jsonl`);
    process.exit(1);
  }
  const svg = lineChart(title, series, { xLabel: 'epoch', yLabel, xInteger: true, width: 720, height: 320 }).replace(/^<figure>/, '').replace(/<\/figure>$/, '');
  const out = join(root, 'docs', 'figures', file);
  writeFileAtomic(out, `${svg}\n`);
  console.log(`accuracy-curves: wrote ${out} (${series.map((s) => s.name).join(', ')})`);
}
