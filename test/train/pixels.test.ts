// Training from a data set's bytes (uploaded as a uint8 pixel tensor) is bit-identical to training from the same
// images as float32: the same losses, scores and parameters after the same iterations from the same seed, on Wasm
// and, where its addon is built, on the native CPU backend; training from bytes never reads the float32 images.
import t from 'tap';
import { type Backend } from '../../ts/backend/backend.js';
import { cpuStatus } from '../../ts/backend/cpu/index.js';
import { createBackend } from '../../ts/backend/select.js';
import { type Dataset } from '../../ts/data/mnist.js';
import { defaultConfig } from '../../ts/models/config.js';
import { Scorer, uploadScoringData } from '../../ts/train/scoring.js';
import { type EpochRecord, Trainer } from '../../ts/train/trainer.js';
import { floatOnly, mnistSubset } from '../helpers/mnist-subset.js';

/** The epoch record (losses, scores) and every parameter after one short epoch of a semi-supervised model. */
function train(be: Backend, data: { train: Dataset; test: Dataset }): { trainer: Trainer; record: Omit<EpochRecord, 'seconds' | 'itersPerSecond'>; params: Record<string, Float32Array> } {
  const trainer = new Trainer(be, data, {
    config: { ...defaultConfig('semi'), hidden: 32 }, epochs: 1, seed: 3, labels: 100, validation: 100, protocol: 'balanced',
    logEvery: 2, maxStepsPerEpoch: 8,
  });
  const { seconds: _s, itersPerSecond: _i, ...record } = trainer.runEpoch()!;
  const params = Object.fromEntries(trainer.model.parameters().map((p) => [p.name, be.download(p.value)]));
  return { trainer, record, params };
}

/** d's bytes alone: reading its float32 images throws. */
function bytesOnly(d: Dataset): Dataset {
  const fields = { pixels: d.pixels!, labels: d.labels, n: d.n, rows: d.rows, cols: d.cols, channels: d.channels };
  return Object.defineProperty(fields, 'images', { get: () => { throw new Error('the float32 images were read'); }, enumerable: true }) as Dataset;
}

/** The names of the arrays of a and b whose bits differ. */
function sameBits(a: Record<string, Float32Array>, b: Record<string, Float32Array>): string[] {
  return Object.keys(a).filter((k) => {
    const x = new Uint32Array(a[k]!.buffer, a[k]!.byteOffset, a[k]!.length);
    const y = new Uint32Array(b[k]!.buffer, b[k]!.byteOffset, b[k]!.length);
    return x.length !== y.length || x.some((v, i) => v !== y[i]);
  });
}

for (const name of ['wasm', 'cpu'] as const) {
  const skip = name === 'cpu' && !cpuStatus().ok ? 'the CPU addon is not built here' : false;
  t.test(`${name}: training from bytes equals training from float32 images, bit for bit`, { skip }, async (t) => {
    const be = await createBackend(name, { threads: 2 });
    t.teardown(() => be.dispose());
    const subset = mnistSubset(800, 200);
    t.ok(subset.train.pixels && subset.test.pixels, 'the MNIST subset holds bytes');
    const fromBytes = train(be, { train: bytesOnly(subset.train), test: bytesOnly(subset.test) });
    const images = { train: floatOnly(subset.train), test: floatOnly(subset.test) };
    t.equal(images.train.pixels, undefined, 'the float32 copy holds no bytes');
    const fromFloats = train(be, images);
    t.same(fromBytes.record, fromFloats.record, 'the same losses and scores');
    t.ok(Object.keys(fromBytes.record.losses).length > 0 && fromBytes.record.testError !== undefined, 'losses and scores were recorded');
    t.same(sameBits(fromBytes.params, fromFloats.params), [], 'every parameter has the same bits');
    // npm run eval's scoring: the validation rows copied as bytes, the test set uploaded as bytes.
    const { model, split } = fromBytes.trainer;
    const scores = (data: { train: Dataset; test: Dataset }) => new Scorer(be, model, uploadScoringData(be, model, data, split)).scores();
    t.same(scores({ train: bytesOnly(subset.train), test: bytesOnly(subset.test) }), scores(images), 'eval scores the same from bytes');
  });
}

t.test('a byte source computes its float32 images only when they are read, once', async (t) => {
  const { train } = mnistSubset(10, 10);
  const descriptor = Object.getOwnPropertyDescriptor(train, 'images')!;
  t.type(descriptor.get, 'function', 'images is a getter');
  const first = train.images;
  t.equal(train.images, first, 'computed once and kept');
  t.same(Array.from(first.subarray(150, 160)), Array.from(train.pixels!.subarray(150, 160), (b) => Math.fround(b / 255)));
});
