// npm run keep-run: a run is kept with every epoch record, 20 of its step records (the last among them), numbers to 7
// significant digits, the latent scatter re-encoded as indexed colour with the same pixels, the reconstructions, and
// none of the large grids or checkpoints; a wrong invocation is one line and exit 2.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pngjs from 'pngjs';
import t from 'tap';
import { tempDir } from '../helpers/temp-dir.js';

const keepRun = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/keep-run.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

/** A run directory: dimred-100-s1's config, 5 epochs of 30 step records each, an RGB scatter, a grid and a checkpoint. */
function fakeRun(dir: string): { rgb: Buffer } {
  mkdirSync(join(dir, 'figures'), { recursive: true });
  mkdirSync(join(dir, 'checkpoints'));
  copyFileSync('docs/runs/dimred-100-s1/config.json', join(dir, 'config.json'));
  const lines: string[] = [];
  for (let epoch = 1; epoch <= 5; epoch++) {
    for (let s = 1; s <= 30; s++) lines.push(JSON.stringify({ type: 'step', epoch, step: 30 * (epoch - 1) + s, losses: { recon: 0.123456789 + s } }));
    lines.push(JSON.stringify({ type: 'epoch', epoch, steps: 30, losses: { recon: 0.2270166123456 }, testError: 0.1781 }));
  }
  writeFileSync(join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  const scatter = new pngjs.PNG({ width: 64, height: 48 });
  for (let p = 0; p < 64 * 48; p++) scatter.data.set([(p % 5) * 50, 255 - (p % 3) * 80, 17, 255], 4 * p);
  writeFileSync(join(dir, 'figures', 'latent.png'), pngjs.PNG.sync.write(scatter, { colorType: 2 }));
  copyFileSync('docs/runs/dimred-100-s1/figures/reconstructions.png', join(dir, 'figures', 'reconstructions.png'));
  copyFileSync('docs/runs/dimred-100-s1/figures/reconstructions.png', join(dir, 'figures', 'style-content.png'));
  writeFileSync(join(dir, 'checkpoints', 'last.safetensors'), 'weights');
  return { rgb: Buffer.from(scatter.data) };
}

t.test('a run is kept, thinned, with its summary figures', async (t) => {
  const root = tempDir(t, 'keep-run');
  const run = join(root, 'runs', 'trial-s1');
  const kept = join(root, 'kept');
  const { rgb } = fakeRun(run);
  const r = keepRun(run, `--out=${kept}`);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, `keep-run: ${run} -> ${kept} (155 metrics records -> 25)\n`);
  t.same(readdirSync(kept).sort(), ['config.json', 'figures', 'metrics.jsonl']);
  t.same(readdirSync(join(kept, 'figures')).sort(), ['latent.png', 'reconstructions.png']);
  const records = readFileSync(join(kept, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; step?: number; losses: { recon: number } });
  t.equal(records.filter((r) => r.type === 'epoch').length, 5);
  const steps = records.filter((r) => r.type === 'step');
  t.equal(steps.length, 20);
  t.equal(steps.at(-1)!.step, 150, 'the last step record is kept');
  t.equal(steps.at(-1)!.losses.recon, 30.12346);
  t.equal(records.find((r) => r.type === 'epoch')!.losses.recon, 0.2270166);
  const latent = pngjs.PNG.sync.read(readFileSync(join(kept, 'figures', 'latent.png')));
  t.equal((latent as unknown as { colorType: number }).colorType, 3, 'indexed colour');
  t.same(Buffer.from(latent.data), rgb, 'the same pixels');
  t.same(readFileSync(join(kept, 'figures', 'reconstructions.png')), readFileSync(join(run, 'figures', 'reconstructions.png')));
});

t.test('kept again in place: the same files, the grids removed', async (t) => {
  const run = join(tempDir(t, 'keep-run-docs', 'docs/runs'), 'trial-s1');
  fakeRun(run);
  t.equal(keepRun(run).status, 0);
  const once = readFileSync(join(run, 'metrics.jsonl'), 'utf8');
  t.notOk(existsSync(join(run, 'figures', 'style-content.png')));
  t.equal(keepRun(run).status, 0);
  t.equal(readFileSync(join(run, 'metrics.jsonl'), 'utf8').split('\n').length, once.split('\n').length);
});

t.test('wrong invocations: one line, exit 2', async (t) => {
  const dir = tempDir(t, 'keep-run-none');
  for (const [args, line] of [
    [[], 'keep-run: expected one run directory: npm run keep-run -- RUN_DIR [--sweep] [--out=DIR]'],
    [[dir, '--figures'], 'keep-run: unknown flag --figures; expected --sweep or --out=DIR'],
    [[dir], `keep-run: ${join(dir, 'config.json')}: missing; ${dir} is not a run directory`],
  ] as const) {
    const r = keepRun(...args);
    t.equal(r.status, 2, args.join(' '));
    t.equal(r.stderr, `${line}\n`);
  }
});
