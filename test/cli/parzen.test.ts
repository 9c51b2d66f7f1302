// npm run eval -- runs/NAME --parzen through the CLI: a small unsupervised run is scored (progress, sigma, the
// log-likelihood with its standard error, parzen.json), and a model with a class code is refused in one line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/temp-dir.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
const small = ['--hidden=32', '--epochs=1', '--steps-per-epoch=6', '--validation=100', '--backend=wasm', '--quiet'];

t.test('eval --parzen scores an unsupervised run and writes parzen.json', async (t) => {
  const dir = join(tempDir(t, 'parzen'), 'run');
  let r = cli('train', '--recipe=parzen-8d', ...small, `--out=${dir}`);
  t.equal(r.status, 0, r.stderr.slice(-300));
  r = cli('eval', dir, '--backend=wasm', '--parzen', '--parzen-samples=300', '--parzen-validation=50', '--parzen-test=120');
  t.equal(r.status, 0, r.stderr.slice(-300));
  t.match(r.stdout, /parzen: decoding 300 samples from the gaussian prior\n/);
  t.match(r.stdout, /parzen: choosing sigma \(19 values\) on 50\/50 images\n/);
  t.match(r.stdout, /parzen: refining sigma \(9 values\) on 50\/50 images\n/);
  t.match(r.stdout, /parzen: scoring 120\/120 images\n/);
  t.match(r.stdout, /parzen sigma \d\.\d{4}( \(at the edge of the grid\))?, chosen on the validation images/);
  t.match(r.stdout, /parzen log-likelihood -?\d+\.\d\d ± \d+\.\d\d nats \(mean ± standard error over 120 test images, 300 samples\)\n/);
  const saved = JSON.parse(readFileSync(join(dir, 'parzen.json'), 'utf8'));
  t.same([saved.samples, saved.validationImages, saved.test.rows, saved.validation.length], [300, 50, 120, 28]);
  t.ok(saved.validation.some((v: { sigma: number }) => v.sigma === saved.sigma), 'the chosen sigma is one of those tried');
});

t.test('eval --parzen on a model with a class code: one line, exit 2', async (t) => {
  const dir = join(tempDir(t, 'parzen-semi'), 'run');
  let r = cli('train', ...small, `--out=${dir}`);
  t.equal(r.status, 0, r.stderr.slice(-300));
  r = cli('eval', dir, '--backend=wasm', '--parzen');
  t.equal(r.status, 2);
  t.equal(r.stderr, `aae: --parzen needs an unsupervised model (P decodes z alone); ${dir} holds a semi model\n`);
  t.notOk(existsSync(join(dir, 'parzen.json')));
});
