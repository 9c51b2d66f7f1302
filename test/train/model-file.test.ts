// A model used without a trainer: saveModel writes its weights as best.safetensors does, loadModel rebuilds it on
// any backend from the file alone (same weights, same codes), a run's best checkpoint loads the same way, and
// stateDict / loadStateDict round-trip the weights and refuse a mismatch without changing anything.
import t from 'tap';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { encodeImages } from '../../ts/models/codec.js';
import { RngStream } from '../../ts/rng.js';
import { loadModel, saveCheckpoint, saveModel } from '../../ts/train/checkpoint.js';
import { Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';
import { tempDir } from '../helpers/temp-dir.js';

const config = { ...defaultConfig('semi'), hidden: 24, batch: 20 };

t.test('saveModel then loadModel on another backend: the same weights and codes', async (t) => {
  const dir = tempDir(t, 'model-file');
  const be = await WasmBackend.create({ threads: 1 });
  t.teardown(() => be.dispose());
  const model = createModel(be, config, new RngStream(3));
  const file = `${dir}/model.safetensors`;
  saveModel(model, file, { seed: 3, step: 7 });
  const ref = new ReferenceBackend();
  const { model: loaded, state } = loadModel(ref, file);
  t.same([state.weightsOnly, state.seed, state.step, loaded.config], [true, 3, 7, config], 'the file records the config, seed and step');
  const want = model.stateDict();
  const got = loaded.stateDict();
  t.same([...got.keys()], [...want.keys()], 'every parameter, in state_dict order');
  for (const [name, values] of want) t.same(got.get(name), values, name);
  const images = mnistSubset(40, 20).test.images.subarray(0, 20 * 784);
  const a = encodeImages(be, model, images);
  const b = encodeImages(ref, loaded, images);
  const diff = a.z.reduce((m, v, i) => Math.max(m, Math.abs(v - b.z[i]!)), 0);
  t.ok(diff < 1e-4, `the codes agree across backends (max |diff| ${diff.toExponential(2)})`);
});

t.test("a run's best checkpoint loads with loadModel", async (t) => {
  const dir = tempDir(t, 'model-file-best');
  const be = await WasmBackend.create({ threads: 1 });
  t.teardown(() => be.dispose());
  const trainer = new Trainer(be, mnistSubset(300, 40), { config, epochs: 1, seed: 2, labels: 100, validation: 40, protocol: 'balanced', maxStepsPerEpoch: 3 });
  trainer.run();
  const file = `${dir}/best.safetensors`;
  saveCheckpoint(trainer, file, { weightsOnly: true });
  const { model, state } = loadModel(be, file);
  t.equal(state.step, 3, 'the step it was saved at');
  const want = trainer.model.stateDict();
  for (const [name, values] of model.stateDict()) t.same(values, want.get(name), name);
});

t.test('loadStateDict: a round trip, and a missing or mis-sized tensor changes nothing', async (t) => {
  const be = new ReferenceBackend();
  const a = createModel(be, config, new RngStream(1));
  const b = createModel(be, config, new RngStream(2));
  const before = b.stateDict();
  const values = a.stateDict();
  const missing = new Map(values);
  missing.delete('P.lin1.bias');
  t.throws(() => b.loadStateDict(missing), { message: /^loadStateDict: no values for P\.lin1\.bias \(shape \[24\]\)$/ });
  const short = new Map(values).set('Q.lin1.weight', new Float32Array(3));
  t.throws(() => b.loadStateDict(short), { message: /^loadStateDict: Q\.lin1\.weight has 3 values, expected 18816 \(shape \[24, 784\]\)$/ });
  t.same(b.stateDict(), before, 'unchanged after the refusals');
  b.loadStateDict(values);
  t.same(b.stateDict(), values, 'a round trip');
});
