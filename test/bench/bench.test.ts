// The benchmark scripts run end to end in their tiny mode (`--dry`: tiny models, one sample per case).
// Nothing here looks at a timing: only that every suite ran and wrote its files and the summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

t.test('npm run bench -- --dry runs every suite and writes the summary', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'aae-bench-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--dry', `--out=${out}`], { encoding: 'utf8', timeout: 300_000 });
  t.equal(r.status, 0, `bench --dry exit status; stderr: ${r.stderr.slice(-2000)}`);
  const summary = readFileSync(join(out, 'summary.md'), 'utf8');
  for (const heading of ['## Headline', '## One training iteration', '## Peers', '## Semi-supervised iteration by phase', '## Reference backend', '## Memory', '## Scaling on Wasm', '## Kernels', '## Roofline']) {
    t.match(summary, heading, `summary has ${heading}`);
  }
  t.match(summary, /load average \(1\/5\/15 min\) at start: [\d.]+ \/ [\d.]+ \/ [\d.]+; at end:/);
  t.match(summary, /^- cuda: /m, 'the summary says whether CUDA rows are there, and why not');
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    iterations: { model: string }[];
    phases: { phase: string }[];
    tfjs: { backend: string; skipped?: string; leakedTensors?: number }[];
    memory: { model: string; peakRssMB: number }[];
    scaling: unknown[];
    kernels: { case: string }[];
    roofline: { rows: { threads: number; fmaGflops: number; streamGBs: number }[] };
  };
  t.same(results.iterations.map((r) => r.model.split(' ')[0]), ['semi', 'unsupervised', 'supervised', 'cluster']);
  t.same(results.phases.map((p) => p.phase), ['reconstruction', 'discriminators', 'generator', 'cross-entropy', 'whole iteration']);
  t.same(results.tfjs.map((p) => [p.backend, p.skipped, p.leakedTensors]), [['tfjs-wasm', undefined, 0], ['tfjs-cpu', undefined, 0]], 'both tfjs peers ran offline and leaked no tensors');
  t.same(results.roofline.rows.map((r) => r.threads), [1, 2], 'roofline rows for 1 and 2 threads');
  t.ok(results.roofline.rows.every((r) => r.fmaGflops > 0 && r.streamGBs > 0), 'roofline rates are positive');
  t.match(summary, /Floor of the semi-supervised iteration: [\d.]+ GFLOP at the peak/);
  t.equal(results.memory.length, 4);
  t.ok(results.memory.every((m) => m.peakRssMB > 0));
  t.equal(results.scaling.length, 3, 'two widths and one more batch (the shared point once)');
  for (const k of ['dropout forward', 'randomNormal', 'bceWithSigmoid', 'crossEntropy', 'discriminatorLoss', 'generatorLoss', 'adam']) {
    t.ok(results.kernels.some((r) => r.case.startsWith(k)), `kernel suite has ${k}`);
  }
  for (const f of ['kernels-relaxed-2t.json', 'kernels-relaxed-2t.csv', 'iteration-wasm-relaxed-2t.json', 'phases-wasm-relaxed-2t.json', 'iteration-tfjs-wasm.json', 'scaling.json', 'scaling-hidden.svg', 'scaling-batch.svg']) {
    t.ok(existsSync(join(out, f)), `${f} written`);
  }
});

t.test('a bad flag is one line and exit code 2', async (t) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--fast'], { encoding: 'utf8' });
  t.equal(r.status, 2);
  t.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  t.match(r.stderr, /unknown argument "--fast"; usage: npm run bench --/);
});
