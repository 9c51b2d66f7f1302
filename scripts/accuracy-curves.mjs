// docs/figures/accuracy-curves.svg: the test error per epoch of every run kept in docs/runs/ (from each run's
// metrics.jsonl, the records its report.html draws), one line per run. Run after `npm run build`:
//   node scripts/accuracy-curves.mjs
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { lineChart } = await import(join(root, 'dist', 'viz', 'report.js'));
const { writeFileAtomic } = await import(join(root, 'dist', 'util', 'atomic.js'));

const runsDir = join(root, 'docs', 'runs');
const series = [];
for (const name of readdirSync(runsDir).sort()) {
  const file = join(runsDir, name, 'metrics.jsonl');
  if (!existsSync(file)) continue;
  const epochs = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.type === 'epoch' && Number.isFinite(r.testError));
  if (epochs.length) series.push({ name, points: epochs.map((r) => [r.epoch, 100 * r.testError]) });
}
if (series.length === 0) {
  console.error('accuracy-curves: no run in docs/runs/ has test errors in its metrics.jsonl');
  process.exit(1);
}
const figure = lineChart('Test error per epoch, runs kept in docs/runs/', series, { xLabel: 'epoch', yLabel: 'test error (%)', width: 720, height: 320 });
const svg = figure.replace(/^<figure>/, '').replace(/<\/figure>$/, '');
const out = join(root, 'docs', 'figures', 'accuracy-curves.svg');
writeFileAtomic(out, `${svg}\n`);
console.log(`accuracy-curves: wrote ${out} (${series.map((s) => s.name).join(', ')})`);
