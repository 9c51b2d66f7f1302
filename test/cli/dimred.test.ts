// The dimensionality-reduction model through the CLI: the epoch line carries its error rate (test error with labels,
// cluster accuracy without), the run writes the 2-D scatter of the representation, and bad --labels is one line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/temp-dir.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
const small = ['--model=dimred', '--hidden=32', '--epochs=1', '--steps-per-epoch=6', '--validation=100', '--backend=wasm'];

for (const [label, flags, score] of [
  ['semi-supervised (100 labels)', ['--labels=100'], /epoch 1\/1 .* heads \d+\.\d{4} .*xent .*\| .*val err \d+\.\d\d% {2}test err \d+\.\d\d%/],
  ['unsupervised (5 clusters)', ['--labels=0', '--clusters=5'], /epoch 1\/1 .* heads \d+\.\d{4} .*\| .*cluster acc \d+\.\d\d%/],
] as const) {
  t.test(`dimred ${label}: the epoch line has its error rate; the run writes the scatter of W_c y + z`, async (t) => {
    const dir = join(tempDir(t, 'dimred'), 'run');
    const r = cli('train', ...small, ...flags, `--out=${dir}`);
    t.equal(r.status, 0, r.stderr.slice(-300));
    t.match(r.stdout, score);
    t.ok(existsSync(join(dir, 'figures', 'latent.png')), 'latent.png: the 2-D representation coloured by digit');
    t.notOk(existsSync(join(dir, 'figures', 'style-content.png')), 'no style/content grid: P takes no class code');
  });
}

t.test('dimred with 1-9 labels is one line, exit 2', async (t) => {
  const r = cli('train', ...small, '--labels=5');
  t.equal(r.status, 2);
  t.equal(r.stderr, 'aae: --labels must be 0 (unsupervised) or >= 10 for the dimred model, got 5\n');
});
