// What runAsync reports to onProgress: the position after each chunk of iterations, an epoch that just ended as full.
import t from 'tap';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { defaultConfig } from '../../ts/models/config.js';
import { Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

t.test('the progress after the last chunk of an epoch is N/N of that epoch, never 0/N of the next', async (t) => {
  const be = await WasmBackend.create({ threads: 1 });
  t.teardown(() => be.dispose());
  const seen: string[] = [];
  const trainer = new Trainer(be, mnistSubset(800, 50), {
    config: { ...defaultConfig('semi'), hidden: 16 }, epochs: 2, seed: 1, labels: 100, validation: 100, protocol: 'balanced',
    logEvery: 1000, maxStepsPerEpoch: 7,
    onProgress: (p) => seen.push(`${p.epoch}/${p.epochs} ${p.stepInEpoch}/${p.stepsPerEpoch}`),
  });
  await trainer.runAsync(3);
  t.same(seen, ['1/2 3/7', '1/2 6/7', '1/2 7/7', '2/2 3/7', '2/2 6/7', '2/2 7/7']);
});
