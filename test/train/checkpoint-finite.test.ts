// A checkpoint never holds NaN or infinity: saving refuses non-finite weights or optimiser moments and leaves the
// previous file as it was (so "the last good checkpoint" is good), loading refuses them naming the tensor; and each
// malformed field of the saved state is named with what was found and what was expected.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { defaultConfig } from '../../ts/models/config.js';
import { checkpointStateProblem } from '../../ts/train/checkpoint-state.js';
import { loadCheckpoint, saveCheckpoint } from '../../ts/train/checkpoint.js';
import { Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

t.test('saving non-finite weights or moments throws TrainingError and keeps the previous checkpoint', async (t) => {
  const be = await WasmBackend.create({ threads: 1 });
  t.teardown(() => be.dispose());
  const dir = mkdtempSync(join(tmpdir(), 'aae-finite-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const trainer = new Trainer(be, mnistSubset(600, 50), { config: { ...defaultConfig('semi'), hidden: 16 }, epochs: 1, seed: 1, labels: 100, validation: 100, protocol: 'balanced' });
  trainer.trainStep(0, 0);
  const file = join(dir, 'last.safetensors');
  saveCheckpoint(trainer, file);
  const good = readFileSync(file);

  const weight = trainer.model.parameters().find((p) => p.name === 'P.lin2.weight')!;
  const values = be.download(weight.value);
  values[3] = NaN;
  be.upload(weight.value, values);
  t.throws(() => saveCheckpoint(trainer, file), { name: 'TrainingError', message: `P.lin2.weight holds NaN at index 3 after iteration 1: the run diverged; ${file} was not overwritten` });
  t.same(readFileSync(file), good, 'the previous checkpoint is intact');
  t.same(readdirSync(dir), ['last.safetensors'], 'no temporary file is left behind');
  values[3] = 0;
  be.upload(weight.value, values);

  const adam = trainer.model.optimizers()[0]!;
  const [kind, moments] = Object.entries(adam.state())[0]!;
  const moment = be.download(moments[0]!);
  moment[0] = -Infinity;
  be.upload(moments[0]!, moment);
  t.throws(() => saveCheckpoint(trainer, file), { name: 'TrainingError', message: new RegExp(`^optimizer\\.${adam.name}\\.${kind}\\.${adam.params[0]!.name} holds -Infinity at index 0`) });
  t.same(readFileSync(file), good);

  t.doesNotThrow(() => loadCheckpoint(trainer, file), 'the kept checkpoint loads');
});

t.test('checkpointStateProblem names the field, what it holds and what is expected', async (t) => {
  const valid = {
    format: 1,
    config: { kind: 'semi' },
    seed: 1,
    step: 5,
    rngOffset: 10,
    optimizerSteps: { recon: 5 },
    optimizerLr: { recon: 0.001 },
    position: { epoch: 0, stepInEpoch: 5, sums: { recon: 0.5 }, logged: 1 },
  };
  t.equal(checkpointStateProblem(valid), undefined);
  const { optimizerLr: _lr, ...withoutLr } = valid;
  t.equal(checkpointStateProblem(withoutLr), undefined, 'optimizerLr is optional (older checkpoints)');
  const cases: [unknown, string][] = [
    [null, 'the state is null; expected an object'],
    [[], 'the state is an array; expected an object'],
    [{ ...valid, config: null }, 'config is null; expected an object (the model configuration)'],
    [{ ...valid, config: { kind: 3 } }, 'config.kind is number 3; expected a model kind string'],
    [{ ...valid, seed: -1 }, 'seed is number -1; expected a non-negative integer'],
    [{ ...valid, step: 1.5 }, 'step is number 1.5; expected a non-negative integer'],
    [{ ...valid, rngOffset: '10' }, 'rngOffset is string "10"; expected a non-negative integer'],
    [{ ...valid, optimizerSteps: { recon: null } }, 'optimizerSteps is an object of other values; expected an object of non-negative integers'],
    [{ ...valid, optimizerLr: { recon: 0 } }, 'optimizerLr is an object of other values; expected an object of positive numbers'],
    [{ ...valid, position: undefined }, 'position is missing; expected an object (epoch, stepInEpoch, sums, logged)'],
    [{ ...valid, position: { ...valid.position, sums: null } }, 'position.sums is null; expected an object of finite numbers'],
    [{ ...valid, position: { ...valid.position, sums: { recon: 'x' } } }, 'position.sums is an object of other values; expected an object of finite numbers'],
    [{ ...valid, position: { ...valid.position, logged: true } }, 'position.logged is boolean true; expected a non-negative integer'],
  ];
  for (const [state, problem] of cases) t.equal(checkpointStateProblem(state), problem, problem);
});
