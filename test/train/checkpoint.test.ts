// Checkpoints: resuming is exact (N iterations straight equal N/2, save, load into a fresh trainer, N/2 more), a
// checkpoint of another model is refused with one line, and a process killed with SIGKILL while saving leaves a
// loadable checkpoint.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { type Backend } from '../../ts/backend/backend.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { type ModelKind, defaultConfig } from '../../ts/models/config.js';
import { loadCheckpoint, readCheckpointState, saveCheckpoint } from '../../ts/train/checkpoint.js';
import { type EpochRecord, type StepRecord, Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

let be: Backend;
t.before(async () => {
  be = await WasmBackend.create({ threads: 2 });
});
t.teardown(() => be.dispose());

function trainer(kind: ModelKind, records: (StepRecord | EpochRecord)[], hidden = 64) {
  const c = defaultConfig(kind);
  return new Trainer(be, mnistSubset(1200, 300), {
    config: { ...c, hidden, classes: kind === 'cluster' ? 8 : c.classes },
    epochs: 2,
    seed: 5,
    labels: 100,
    validation: 200,
    protocol: 'balanced',
    logEvery: 2,
    onRecord: (r) => records.push(r),
  });
}

/** Records without wall-clock fields, which no two runs share. */
const comparable = (records: (StepRecord | EpochRecord)[]) => records.map((r) => (r.type === 'epoch' ? { ...r, seconds: 0, itersPerSecond: 0 } : r));

for (const kind of ['semi', 'supervised'] as ModelKind[]) {
  t.test(`${kind}: save mid-epoch and resume in a fresh trainer gives bit-identical metrics`, async (t) => {
    const straight: (StepRecord | EpochRecord)[] = [];
    const a = trainer(kind, straight);
    a.run();
    t.equal(a.stepsPerEpoch, 10);

    const resumed: (StepRecord | EpochRecord)[] = [];
    const b = trainer(kind, resumed);
    b.runEpoch();
    t.equal(b.runEpoch(3), undefined, 'stopped mid-epoch');
    const file = join(mkdtempSync(join(tmpdir(), 'aae-ck-')), 'last.safetensors');
    saveCheckpoint(b, file);
    t.same(readCheckpointState(file).position.stepInEpoch, 3);

    const c = trainer(kind, resumed);
    loadCheckpoint(c, file);
    c.run();
    t.same(comparable(resumed), comparable(straight), 'every step and epoch record identical');
    const pa = a.model.parameters().map((p) => be.download(p.value));
    const pc = c.model.parameters().map((p) => be.download(p.value));
    t.ok(pa.every((x, i) => x.every((v, j) => v === pc[i]![j])), 'final parameters bit-identical');
  });
}

t.test('a checkpoint of another model, a missing tensor or a missing file is one clear error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aae-ck-'));
  const semi = trainer('semi', []);
  const file = join(dir, 'semi.safetensors');
  saveCheckpoint(semi, file);
  t.throws(() => loadCheckpoint(trainer('unsupervised', []), file), { name: 'DataError', message: `${file}: the checkpoint is of another model (kind semi, classes 10) than this run (kind unsupervised, classes 0)` });
  t.throws(() => loadCheckpoint(trainer('semi', [], 32), file), { message: `${file}: the checkpoint is of another model (hidden 64) than this run (hidden 32)` });
  t.throws(() => loadCheckpoint(semi, join(dir, 'nope.safetensors')), { message: `${join(dir, 'nope.safetensors')}: checkpoint not found` });
  writeFileSync(join(dir, 'junk.safetensors'), 'not a checkpoint at all');
  t.throws(() => loadCheckpoint(semi, join(dir, 'junk.safetensors')), { name: 'DataError', message: /junk\.safetensors: not a valid safetensors file/ });
});

t.test('SIGKILL while saving leaves the previous checkpoint loadable and no stray file of the target name', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aae-kill-'));
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
