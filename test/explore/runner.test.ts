// The page's runner (ts/explore/page/runner.ts, the browser builds of the kernels) against Node: the same model
// encodes and decodes to the same numbers as ts/models/ on the Wasm backend, for every model kind, on both builds.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { createBackend } from '../../ts/backend/select.js';
import { wasmDir } from '../../ts/backend/wasm/loader.js';
import { exploreBundle } from '../../ts/explore/bundle.js';
import { loadKernelModule } from '../../ts/explore/page/kernels.js';
import { ModelRunner } from '../../ts/explore/page/runner.js';
import { decodeCodes, encodeImages } from '../../ts/models/codec.js';
import { MODEL_KINDS, defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { RngStream } from '../../ts/rng.js';
import { Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

const data = mnistSubset(1200, 200);
const readBuild = async (file: string) => {
  const b = await readFile(join(wasmDir(), file));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};

function maxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

for (const simd of ['relaxed', 'plain'] as const) {
  t.test(`${simd} build: encode and decode equal Node's, every model kind`, async (t) => {
    // Creating the Node backend turns on relaxed SIMD in this V8 before the page's module is validated.
    const be = await createBackend('wasm', { threads: 1, simd });
    t.teardown(() => be.dispose());
    const loaded = simd === 'relaxed'
      ? await loadKernelModule(readBuild)
      : await loadKernelModule(async (f) => (f.includes('relaxed') ? new ArrayBuffer(8) : readBuild(f)));
    t.equal(loaded.simd, simd, `loadKernelModule picked the ${simd} build`);
    for (const kind of MODEL_KINDS) {
      const zDim = kind === 'unsupervised' ? 5 : 2; // a z > 2 too
      const config = { ...defaultConfig(kind), hidden: 48, zDim, prior: { ...defaultConfig(kind).prior, dim: zDim } };
      const trainer = new Trainer(be, data, { config, epochs: 1, seed: 3, labels: 100, validation: 100, protocol: 'balanced', maxStepsPerEpoch: 4, maxTestImages: 100 });
      trainer.run(); // trained weights, not just the initialisation
      const model = trainer.model;
      const bundle = exploreBundle(be, model, data.test, { run: kind, checkpoint: 'last', points: 50, runFiles: false });
      const runner = new ModelRunner({ manifest: bundle.manifest, weights: bundle.weights, module: loaded.module, simd: loaded.simd, maxBatch: 16 });

      const images = data.test.images.subarray(0, 37 * 784); // (37, 784): more than two runner batches
      const node = encodeImages(be, model, images);
      const page = runner.encode(images);
      t.ok(maxDiff(page.z, node.z) <= 1e-5, `${kind}: z equal (max diff ${maxDiff(page.z, node.z)})`);
      t.equal(page.y === undefined, node.y === undefined, `${kind}: a class head exactly when Node has one`);
      if (node.y) t.ok(maxDiff(page.y!, node.y) <= 1e-6, `${kind}: class probabilities equal`);
      t.same(bundle.manifest.points.labels, Array.from(data.test.labels!.subarray(0, 50)), `${kind}: the dots carry the test labels`);
      t.equal(bundle.manifest.model.classWord, kind === 'cluster' ? 'cluster' : 'digit', `${kind}: what the page calls a class`);
      const dots = Float32Array.from(bundle.manifest.points.z.slice(0, 37 * zDim));
      t.ok(maxDiff(dots, node.z) <= 1e-4 * (1 + Math.max(...node.z.map(Math.abs))), `${kind}: the dots are the codes (5 digits)`);

      const z = Float32Array.from({ length: 19 * zDim }, (_, i) => Math.sin(i * 1.7) * 3);
      const Y = model.yDim;
      const classCode = Y > 0 ? Float32Array.from({ length: 19 * Y }, (_, i) => (i % Y === Math.floor(i / Y) % Y ? 1 : 0)) : undefined;
      const want = decodeCodes(be, model, z, classCode);
      const got = runner.decode(z, classCode);
      t.ok(maxDiff(got, want) <= 1e-5, `${kind}: decoded images equal (max diff ${maxDiff(got, want)})`);
      t.ok(Math.max(...got) - Math.min(...got) > 0.1, `${kind}: the images are not flat`);
      if (Y > 0) t.throws(() => runner.decode(z), /needs a class code of 19 x/, `${kind}: a missing class code is a clear error`);
    }
  });
}

t.test("the manifest calls the unsupervised dimred model's classes clusters, the semi-supervised one's digits", async (t) => {
  const be = await createBackend('wasm', { threads: 1 });
  t.teardown(() => be.dispose());
  for (const [labels, word] of [[0, 'cluster'], [100, 'digit']] as const) {
    const model = createModel(be, { ...defaultConfig('dimred', { labels }), hidden: 16 }, new RngStream(1));
    t.equal(exploreBundle(be, model, data.test, { run: 'x', checkpoint: 'last', points: 0, runFiles: false }).manifest.model.classWord, word, `--labels=${labels}`);
  }
});

t.test('a manifest that lacks a tensor or has a wrong shape is a clear error', async (t) => {
  const be = await createBackend('wasm', { threads: 1 });
  t.teardown(() => be.dispose());
  const trainer = new Trainer(be, data, { config: { ...defaultConfig('unsupervised'), hidden: 16 }, epochs: 1, seed: 1, labels: 0, validation: 100, protocol: 'balanced', maxStepsPerEpoch: 1 });
  const bundle = exploreBundle(be, trainer.model, data.test, { run: 'x', checkpoint: 'last', points: 0, runFiles: false });
  const unlabelled = exploreBundle(be, trainer.model, { ...data.test, labels: undefined }, { run: 'x', checkpoint: 'last', points: 5, runFiles: false });
  t.same(unlabelled.manifest.points.labels, [], 'a test set without labels: dots without labels');
  t.equal(unlabelled.manifest.points.z.length, 10, 'but with their codes');
  const loaded = await loadKernelModule(readBuild);
  const without = { ...bundle.manifest, tensors: bundle.manifest.tensors.filter((x) => x.name !== 'P.lin2.bias') };
  t.throws(() => new ModelRunner({ manifest: without, weights: bundle.weights, ...loaded }), /no tensor P\.lin2\.bias/);
  const reshaped = { ...bundle.manifest, tensors: bundle.manifest.tensors.map((x) => (x.name === 'Q.lin1.weight' ? { ...x, shape: [16, 100] } : x)) };
  t.throws(() => new ModelRunner({ manifest: reshaped, weights: bundle.weights, ...loaded }), /Q\.lin1\.weight has shape \[16,100\], expected \[16,784\]/);
  t.throws(() => new ModelRunner({ manifest: bundle.manifest, weights: bundle.weights.subarray(0, 100), ...loaded }), /past the end of weights\.bin/);
});
