// The page's path against Node: the run's model rebuilt from the explorer's manifest and weights (explorerModel) on
// the page's backend (BrowserWasmBackend: the browser builds of the kernels, one thread, an ordinary memory) encodes
// and decodes to the same numbers as the trained model on Node's Wasm backend, for every model kind, on both builds.
import t from 'tap';
import { createBackend } from '../../ts/backend/select.js';
import { BrowserWasmBackend } from '../../ts/backend/wasm/browser-backend.js';
import { readWasmBuild } from '../../ts/backend/wasm/loader.js';
import { exploreBundle } from '../../ts/explore/bundle.js';
import { type ExploreManifest } from '../../ts/explore/manifest.js';
import { explorerModel } from '../../ts/explore/weights.js';
import { decodeCodes, encodeImages } from '../../ts/models/codec.js';
import { MODEL_KINDS, defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { RngStream } from '../../ts/rng.js';
import { Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

const data = mnistSubset(1200, 200);

function maxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** The manifest as the page reads it: through JSON. */
const asServed = (m: ExploreManifest): ExploreManifest => JSON.parse(JSON.stringify(m)) as ExploreManifest;

t.test('an engine without relaxed SIMD gets the plain build', async (t) => {
  const page = await BrowserWasmBackend.create(async (f) => (f.includes('relaxed') ? new ArrayBuffer(8) : readWasmBuild(f)));
  t.teardown(() => page.dispose());
  t.equal(page.info().simd, 'plain');
  t.match(page.info().device, /^WebAssembly SIMD, 1 thread$/);
});

for (const simd of ['relaxed', 'plain'] as const) {
  t.test(`${simd} build: encode and decode equal Node's, every model kind`, async (t) => {
    const be = await createBackend('wasm', { threads: 1, simd });
    const page = await BrowserWasmBackend.create(readWasmBuild, simd);
    t.teardown(() => {
      be.dispose();
      page.dispose();
    });
    t.equal(page.info().simd, simd, `the page's backend runs the ${simd} build`);
    for (const kind of MODEL_KINDS) {
      const zDim = kind === 'unsupervised' ? 5 : 2; // a z > 2 too
      const config = { ...defaultConfig(kind), hidden: 48, zDim, prior: { ...defaultConfig(kind).prior, dim: zDim } };
      const trainer = new Trainer(be, data, { config, epochs: 1, seed: 3, labels: 100, validation: 100, protocol: 'balanced', maxStepsPerEpoch: 4, maxTestImages: 100 });
      trainer.run(); // trained weights, not just the initialisation
      const model = trainer.model;
      const bundle = exploreBundle(be, model, data.test, { run: kind, checkpoint: 'last', points: 50, runFiles: false });
      const pageModel = explorerModel(page, asServed(bundle.manifest), bundle.weights, 16);

      const images = data.test.images.subarray(0, 37 * 784); // (37, 784): more than two of the page's batches
      const node = encodeImages(be, model, images);
      const got = encodeImages(page, pageModel, images);
      t.ok(maxDiff(got.z, node.z) <= 1e-5, `${kind}: z equal (max diff ${maxDiff(got.z, node.z)})`);
      t.equal(got.y === undefined, node.y === undefined, `${kind}: a class head exactly when Node has one`);
      if (node.y) t.ok(maxDiff(got.y!, node.y) <= 1e-6, `${kind}: class probabilities equal`);
      t.same(bundle.manifest.points.labels, Array.from(data.test.labels!.subarray(0, 50)), `${kind}: the dots carry the test labels`);
      t.equal(bundle.manifest.model.classWord, kind === 'cluster' ? 'cluster' : 'digit', `${kind}: what the page calls a class`);
      const dots = Float32Array.from(bundle.manifest.points.z.slice(0, 37 * zDim));
      t.ok(maxDiff(dots, node.z) <= 1e-4 * (1 + Math.max(...node.z.map(Math.abs))), `${kind}: the dots are the codes (5 digits)`);

      const z = Float32Array.from({ length: 19 * zDim }, (_, i) => Math.sin(i * 1.7) * 3);
      const Y = model.yDim;
      const classCode = Y > 0 ? Float32Array.from({ length: 19 * Y }, (_, i) => (i % Y === Math.floor(i / Y) % Y ? 1 : 0)) : undefined;
      const want = decodeCodes(be, model, z, classCode);
      const decoded = decodeCodes(page, pageModel, z, classCode);
      t.ok(maxDiff(decoded, want) <= 1e-5, `${kind}: decoded images equal (max diff ${maxDiff(decoded, want)})`);
      t.ok(Math.max(...decoded) - Math.min(...decoded) > 0.1, `${kind}: the images are not flat`);
      if (Y > 0) t.throws(() => decodeCodes(page, pageModel, z), /needs a class code of 19 x/, `${kind}: a missing class code is a clear error`);
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
  const page = await BrowserWasmBackend.create(readWasmBuild);
  t.teardown(() => {
    be.dispose();
    page.dispose();
  });
  const trainer = new Trainer(be, data, { config: { ...defaultConfig('unsupervised'), hidden: 16 }, epochs: 1, seed: 1, labels: 0, validation: 100, protocol: 'balanced', maxStepsPerEpoch: 1 });
  const bundle = exploreBundle(be, trainer.model, data.test, { run: 'x', checkpoint: 'last', points: 0, runFiles: false });
  const unlabelled = exploreBundle(be, trainer.model, { ...data.test, labels: undefined }, { run: 'x', checkpoint: 'last', points: 5, runFiles: false });
  t.same(unlabelled.manifest.points.labels, [], 'a test set without labels: dots without labels');
  t.equal(unlabelled.manifest.points.z.length, 10, 'but with their codes');
  const without = { ...bundle.manifest, tensors: bundle.manifest.tensors.filter((x) => x.name !== 'P.lin2.bias') };
  t.throws(() => explorerModel(page, without, bundle.weights, 1), /no tensor P\.lin2\.bias \(a unsupervised model with depth 2 needs it\)/);
  const reshaped = { ...bundle.manifest, tensors: bundle.manifest.tensors.map((x) => (x.name === 'Q.lin1.weight' ? { ...x, shape: [16, 100] } : x)) };
  t.throws(() => explorerModel(page, reshaped, bundle.weights, 1), /Q\.lin1\.weight has shape \[16,100\], expected \[16,784\]/);
  t.throws(() => explorerModel(page, bundle.manifest, bundle.weights.subarray(0, 100), 1), /past the end of weights\.bin/);
});
