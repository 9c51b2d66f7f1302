// The explorer reads a run's test set and never its training set: a --data run still exports after its training
// images are gone, and a test set of another shape than the run's model is one DataError line.
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createBackend } from '../../ts/backend/select.js';
import { loadRun } from '../../ts/explore/bundle.js';
import { writeColourShapes } from '../helpers/colour-shapes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { cli } from './helpers.js';

t.test('explore needs only the test images of a --data run', async (t) => {
  const data = tempDir(t, 'explore-test-only-data');
  writeColourShapes(data, { nTrain: 48, nTest: 12, side: 8 });
  const dir = join(tempDir(t, 'explore-test-only'), 'run');
  const r = cli('train', `--data=${data}`, '--model=cluster', '--clusters=2', '--hidden=16', '--epochs=1', '--steps-per-epoch=2', '--batch=16', '--validation=0', '--backend=wasm', '--quiet', `--out=${dir}`);
  t.equal(r.code, 0, r.err.slice(-300));
  rmSync(join(data, 'train-images.npy'));
  rmSync(join(data, 'train-labels.npy'));
  const be = await createBackend('wasm', { threads: 1 });
  t.teardown(() => be.dispose());
  const loaded = loadRun(be, dir, 'last');
  t.same([loaded.test.n, loaded.test.rows, loaded.test.cols, loaded.test.channels], [12, 8, 8, 3], 'the test set, without the training files');
  const out = join(tempDir(t, 'explore-test-only-out'), 'site');
  const e = cli('explore', dir, `--export=${out}`, '--backend=wasm');
  t.equal(e.code, 0, `explore --export without the training files (${e.err.slice(-300)})`);

  writeColourShapes(data, { nTrain: 4, nTest: 4, side: 6 });
  renameSync(join(data, 'train-images.npy'), join(data, 'unused.npy'));
  t.throws(() => loadRun(be, dir, 'last'), { name: 'DataError', message: /test-images\.npy: found shape \(4, 6, 6, 3\); the run's model \(config\.json, model\.image\) expects 8x8x3 images/ });
});
