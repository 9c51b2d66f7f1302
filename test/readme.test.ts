// The TypeScript example of docs/usage.md runs as written (with 'aae-ts' resolved to this checkout's ts/index.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { tempDir } from './helpers/temp-dir.js';

t.test('the usage example trains, encodes and decodes', async (t) => {
  const readme = readFileSync('docs/usage.md', 'utf8');
  const block = /<!-- example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- example:end -->/.exec(readme);
  t.ok(block, 'docs/usage.md has a marked example');
  const code = block![1]!.replace("from 'aae-ts'", `from '${resolve('ts/index.ts')}'`);
  const file = join(tempDir(t, 'readme'), 'example.mts');
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 300_000 });
  t.equal(r.status, 0, `exit code (stderr: ${r.stderr.slice(-500)})`);
  t.match(r.stdout, /test error after 50 iterations: \d+\.\d%/);
  t.match(r.stdout, /decoded 10 images; first code z = \(-?\d+\.\d\d, -?\d+\.\d\d\)/);
  t.match(r.stdout, /reloaded: the same first code: true/);
});

/** The numbers of a transcript line (percentages marked), with the throughput (it/s) and file paths left out. */
function numbers(line: string): { v: number; pct: boolean }[] {
  const kept = line.replace(/[\d.]+ it\/s/g, '').replace(/; \S+\.safetensors$/, '');
  return [...kept.matchAll(/(-?\d+(?:\.\d+)?)(%?)/g)].map((m) => ({ v: Number(m[1]), pct: m[2] === '%' }));
}

t.test("the quick-check transcript of docs/usage.md comes from the current code: the same command prints the same numbers", async (t) => {
  const readme = readFileSync('docs/usage.md', 'utf8');
  const block = /<!-- quick-run:start -->\s*```\n\$ npm run train -- (.*)\n([\s\S]*?)```\s*<!-- quick-run:end -->/.exec(readme);
  t.ok(block, 'docs/usage.md has a marked quick-check transcript');
  const out = join(tempDir(t, 'readme-run'), 'quick');
  const flags = block![1]!.split(' ').map((f) => (f.startsWith('--out=') ? `--out=${out}` : f));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'train', ...flags], { encoding: 'utf8', timeout: 300_000 });
  t.equal(r.status, 0, `exit code (stderr: ${r.stderr.slice(-500)})`);
  // The epoch summaries and the checkpoint lines (not the progress lines a slow run prints while it trains).
  const scored = (text: string) => text.split('\n').filter((l) => /^(epoch \d+\/\d+ {2}[a-z]|aae: (best|last) checkpoint)/.test(l));
  const want = scored(block![2]!);
  const got = scored(r.stdout);
  t.equal(got.length, want.length, `${want.length} epoch and checkpoint lines`);
  want.forEach((line, i) => {
    const [a, b] = [numbers(got[i] ?? ''), numbers(line)];
    // Losses to 1 %, percentages to 0.2 points: the same code gives the same digits on one machine; the margin
    // covers float rounding that may differ between processors.
    const close = a.length === b.length && a.every((x, k) => Math.abs(x.v - b[k]!.v) <= (b[k]!.pct ? 0.2 : 0.01 * Math.abs(b[k]!.v) + 1e-4));
    t.ok(close, `line ${i + 1}: ${got[i]} ~ ${line}`);
  });
});
