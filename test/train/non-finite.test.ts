// A loss that is NaN or infinite at any iteration stops training at the next logged step, even when every logged
// loss is finite: the backend sets a flag after each iteration (flagNonFinite), and the trainer reads it when it logs.
import t, { type Test } from 'tap';
import { type Tensor } from '../../ts/backend/backend.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { defaultConfig } from '../../ts/models/config.js';
import { Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

async function setup(t: Test) {
  const be = await WasmBackend.create({ threads: 1 });
  t.teardown(() => be.dispose());
  const trainer = new Trainer(be, mnistSubset(800, 50), {
    config: { ...defaultConfig('semi'), hidden: 16 }, epochs: 1, seed: 1, labels: 100, validation: 100, protocol: 'balanced',
    logEvery: 1000, maxStepsPerEpoch: 6,
  });
  const weight = trainer.model.parameters().find((p) => p.name === 'Q.lin3cat.bias')!;
  return { be, trainer, weight };
}

t.test('a weight turned NaN between logged steps stops the epoch, naming the iterations since the last check', async (t) => {
  const { be, trainer, weight } = await setup(t);
  t.equal(trainer.runEpoch(2), undefined, 'two iterations, none logged');
  const v = be.download(weight.value);
  v[0] = NaN;
  be.upload(weight.value, v);
  t.throws(() => trainer.runEpoch(), { name: 'TrainingError', message: /^a loss became non-finite in epoch 1, iterations 1-6 \(the \w+ loss is NaN now\)$/ });
});

t.test('a non-finite loss at one iteration is caught even when the run recovers before the next logged step', async (t) => {
  const { be, trainer, weight } = await setup(t);
  trainer.runEpoch(2);
  // Keep every weight and optimiser moment, poison one weight for one iteration, then put everything back.
  const state: Tensor[] = [...trainer.model.parameters().map((p) => p.value), ...trainer.model.optimizers().flatMap((o) => Object.values(o.state()).flat())];
  const saved = state.map((x) => be.download(x));
  const v = be.download(weight.value);
  v[0] = Infinity;
  be.upload(weight.value, v);
  trainer.trainStep(0, 2);
  t.ok(Object.values(trainer.model.losses()).some((l) => !Number.isFinite(l)), 'the poisoned iteration has a non-finite loss');
  state.forEach((x, i) => be.upload(x, saved[i]!));
  trainer.position.stepInEpoch = 3;
  t.throws(() => trainer.runEpoch(), { name: 'TrainingError', message: /^a loss became non-finite in epoch 1, iterations 1-6/ });
});
