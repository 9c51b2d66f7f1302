// sample writes what it newly computes: its prior samples, and a style/content grid of its own seed's style codes,
// never a copy of the run's own figures/style-content.png.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { STYLE_SEED } from '../../ts/viz/grids.js';
import { TINY, cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

t.test("the style/content grid of a seed is new, and the run's own grid is not written again", async (t) => {
  const dir = join(tempDir(t, 'sample'), 'run');
  const trained = cli(['train', ...TINY, '--model=supervised', '--epochs=1', `--out=${dir}`]);
  t.equal(trained.status, 0, trained.stderr.slice(-300));
  const runGrid = readFileSync(join(dir, 'figures', 'style-content.png'));

  let r = cli(['sample', dir, '--backend=wasm', '--seed=1']);
  t.equal(r.status, 0, r.stderr.slice(-300));
  t.equal(r.stdout, `aae: wrote ${join(dir, 'samples', 'samples-1.png')}, ${join(dir, 'samples', 'style-content-1.png')}\n`);
  t.notOk(readFileSync(join(dir, 'samples', 'style-content-1.png')).equals(runGrid), "seed 1's grid differs from the run's");

  r = cli(['sample', dir, '--backend=wasm', `--seed=${STYLE_SEED}`]);
  t.equal(r.status, 0, r.stderr.slice(-300));
  t.equal(r.stdout, [
    `aae: the style/content grid of seed ${STYLE_SEED} is the run's ${join(dir, 'figures', 'style-content.png')}; not written again`,
    `aae: wrote ${join(dir, 'samples', `samples-${STYLE_SEED}.png`)}`,
    '',
  ].join('\n'));
  t.notOk(existsSync(join(dir, 'samples', `style-content-${STYLE_SEED}.png`)), 'no duplicate of the run figure');
});
