// Checkpoints: resuming is exact (N iterations straight equal N/2, save, load into a fresh trainer, N/2 more), a
// checkpoint of another model is refused with one line, a weights-only checkpoint loads into a bare model (and
// evaluates as the full one) but does not resume, and a process killed with SIGKILL while saving leaves a loadable
// checkpoint.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { type Backend } from '../../ts/backend/backend.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { type AaeConfig, type ModelKind, defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { RngStream } from '../../ts/rng.js';
import { loadCheckpoint, loadWeights, readCheckpointState, saveCheckpoint } from '../../ts/train/checkpoint.js';
import { type EpochRecord, type StepRecord, Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';
import { tempDir } from '../helpers/temp-dir.js';

let be: Backend;
t.before(async () => {
  be = await WasmBackend.create({ threads: 2 });
});
t.teardown(() => be.dispose());

/** The paper's protocol pieces: SGD with momentum, a schedule stepping at epoch 1 (the epoch resumed mid-way), input noise. */
const paperProtocol: Partial<AaeConfig> = {
  optimizer: { name: 'sgd', momentum: 0.9 },
  schedule: { milestones: [1], gamma: 0.1 },
  inputNoise: 0.3,
  lr: { recon: 0.01, generator: 0.05, discriminator: 0.05, classifier: 0.05 } };

function trainerOf(kind: ModelKind, records: (StepRecord | EpochRecord)[], hidden = 64, extra: Partial<AaeConfig> = {}) {
  const c = defaultConfig(kind);
  return new Trainer(be, mnistSubset(1200, 300), {
    config: { ...c, hidden, classes: kind === 'cluster' ? 8 : c.classes, ...extra },
    epochs: 2,
    seed: 5,
    labels: 100,
    validation: 200,
    protocol: 'balanced',
    logEvery: 2,
    onRecord: (r) => records.push(r) });
}

/** Records without wall-clock fields, which no two runs share. */
const comparable = (records: (StepRecord | EpochRecord)[]) => records.map((r) => (r.type === 'epoch' ? { ...r, seconds: 0, itersPerSecond: 0 } : r));

const resumeCases: [string, ModelKind, Partial<AaeConfig>][] = [
  ['semi', 'semi', {}],
  ['supervised', 'supervised', {}],
  ['semi with SGD momentum, a stepped schedule and input noise', 'semi', paperProtocol],
  ['dimred (cluster heads) with SGD momentum, a stepped schedule and input noise', 'dimred', paperProtocol],
];
for (const [label, kind, extra] of resumeCases) {
  t.test(`${label}: save mid-epoch and resume in a fresh trainer gives bit-identical metrics`, async (t) => {
    const trainer = (k: ModelKind, records: (StepRecord | EpochRecord)[]) => trainerOf(k, records, 64, extra);
    const straight: (StepRecord | EpochRecord)[] = [];
    const a = trainer(kind, straight);
    a.run();
    t.equal(a.stepsPerEpoch, 10);

    const resumed: (StepRecord | EpochRecord)[] = [];
    const b = trainer(kind, resumed);
    b.runEpoch();
    t.equal(b.runEpoch(3), undefined, 'stopped mid-epoch');
    const file = join(tempDir(t, 'ck'), 'last.safetensors');
    saveCheckpoint(b, file);
    t.same(readCheckpointState(file).position.stepInEpoch, 3);
    if (extra.schedule) {
      t.same(Object.values(readCheckpointState(file).optimizerLr!), b.model.optimizers().map((o) => o.baseLr * 0.1), 'the stepped rates are saved');
      t.ok(b.model.optimizers().every((o) => Object.keys(o.state()).join() === 'momentum_buffer'), 'SGD momentum buffers are the optimiser state');
    }

    const c = trainer(kind, resumed);
    loadCheckpoint(c, file);
    c.run();
    t.same(comparable(resumed), comparable(straight), 'every step and epoch record identical');
    const pa = a.model.parameters().map((p) => be.download(p.value));
    const pc = c.model.parameters().map((p) => be.download(p.value));
    t.ok(pa.every((x, i) => x.every((v, j) => v === pc[i]![j])), 'final parameters bit-identical');
  });
}

const trainer = (kind: ModelKind, records: (StepRecord | EpochRecord)[], hidden = 64) => trainerOf(kind, records, hidden);

t.test('a checkpoint of another model, a missing tensor or a missing file is one clear error', async (t) => {
  const dir = tempDir(t, 'ck');
  const semi = trainer('semi', []);
  const file = join(dir, 'semi.safetensors');
  saveCheckpoint(semi, file);
  t.throws(() => loadCheckpoint(trainer('unsupervised', []), file), { name: 'DataError', message: `${file}: the checkpoint is of another model (kind semi, classes 10) than this run (kind unsupervised, classes 0)` });
  t.throws(() => loadCheckpoint(trainer('semi', [], 32), file), { message: `${file}: the checkpoint is of another model (hidden 64) than this run (hidden 32)` });
  t.throws(() => loadCheckpoint(semi, join(dir, 'nope.safetensors')), { name: 'FileError', message: `${join(dir, 'nope.safetensors')}: not found; expected a regular file holding a checkpoint (.safetensors)` });
  writeFileSync(join(dir, 'junk.safetensors'), 'not a checkpoint at all');
  t.throws(() => loadCheckpoint(semi, join(dir, 'junk.safetensors')), { name: 'DataError', message: /junk\.safetensors: not a valid safetensors file/ });
});

t.test('a weights-only checkpoint: the parameters alone, loaded into a bare model, evaluated as the full one', async (t) => {
  const dir = tempDir(t, 'ck');
  const trained = trainer('dimred', []);
  trained.runEpoch();
  t.equal(trained.runEpoch(4), undefined, 'stopped mid-epoch');
  const full = join(dir, 'last.safetensors');
  const weights = join(dir, 'best.safetensors');
  saveCheckpoint(trained, full);
  saveCheckpoint(trained, weights, { weightsOnly: true });
  t.ok(statSync(weights).size < statSync(full).size / 3, `${statSync(weights).size} bytes beside ${statSync(full).size}`);
  t.same(readCheckpointState(weights), { ...readCheckpointState(full), weightsOnly: true }, 'the same state, marked weights-only');

  const model = createModel(be, trained.model.config, new RngStream(99));
  t.same(loadWeights(be, model, weights).position, trained.position);
  const downloaded = (m: typeof model) => m.parameters().map((p) => Array.from(be.download(p.value)));
  t.same(downloaded(model), downloaded(trained.model), 'every parameter, the cluster heads included');

  const fromWeights = trainer('dimred', []);
  loadWeights(be, fromWeights.model, weights);
  const fromFull = trainer('dimred', []);
  loadCheckpoint(fromFull, full);
  t.same(fromWeights.evaluate(), trained.evaluate(), 'evaluation of the loaded weights');
  t.same(fromWeights.evaluate(), fromFull.evaluate(), 'and of the full checkpoint');

  t.throws(() => loadCheckpoint(trainer('dimred', []), weights), {
    name: 'DataError',
    message: `${weights}: holds the model's weights only (as best.safetensors does), not the optimiser state that training continues from`,
  });
  t.throws(() => loadWeights(be, createModel(be, { ...trained.model.config, hidden: 32 }, new RngStream(1)), weights), {
    message: `${weights}: the checkpoint is of another model (hidden 64) than this run (hidden 32)`,
  });
});

t.test('SIGKILL while saving leaves the previous checkpoint loadable and no stray file of the target name', async (t) => {
  const dir = tempDir(t, 'kill');
  const file = join(dir, 'last.safetensors');
  const script = join(dir, 'saver.mts');
  writeFileSync(script, `
    import { WasmBackend } from '${resolve('ts/backend/wasm/wasm-backend.ts')}';
    import { defaultConfig } from '${resolve('ts/models/config.ts')}';
    import { saveCheckpoint } from '${resolve('ts/train/checkpoint.ts')}';
    import { Trainer } from '${resolve('ts/train/trainer.ts')}';
    import { mnistSubset } from '${resolve('test/helpers/mnist-subset.ts')}';
    const be = await WasmBackend.create({ threads: 1 });
    const tr = new Trainer(be, mnistSubset(1200, 100), { config: defaultConfig('semi'), epochs: 1, seed: 1, labels: 100, validation: 100, protocol: 'balanced' });
    for (;;) { tr.trainStep(0, 0); saveCheckpoint(tr, '${file}'); process.stdout.write('saved\\n'); }
  `);
  for (const delay of [300, 700, 1100]) {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let saves = 0;
    await new Promise<void>((done) => {
      child.stdout.on('data', (d: Buffer) => {
        saves += d.toString().split('\n').length - 1;
        if (saves === 1) setTimeout(() => child.kill('SIGKILL'), delay);
      });
      child.on('exit', () => done());
    });
    const state = readCheckpointState(file);
    const fresh = new Trainer(be, mnistSubset(1200, 100), { config: defaultConfig('semi'), epochs: 1, seed: 1, labels: 100, validation: 100, protocol: 'balanced' });
    loadCheckpoint(fresh, file);
    t.ok(state.step >= 1, `killed after ${saves} saves (+${delay} ms): checkpoint at step ${state.step} loads`);
  }
  t.same(readdirSync(dir).filter((f) => f.endsWith('.safetensors')), ['last.safetensors']);
});
