// The explorer's data for one run: its model loaded from a checkpoint's weights (as eval and sample load it), then
// manifest.json (model shape, tensor table, the test set's codes for the dots) and weights.bin (Q and P only,
// with the dimred model's cluster heads: the page neither trains nor needs the discriminators or optimiser moments).
import { existsSync } from 'node:fs';
import { type Backend } from '../backend/backend.js';
import { type RunConfig, loadRunTestData, readRunConfig, runPaths } from '../run/run-dir.js';
import { DataError } from '../data/idx.js';
import { type Dataset } from '../data/mnist.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { encodeImages } from '../models/codec.js';
import { imageShape } from '../models/config.js';
import { createModel } from '../models/create.js';
import { RngStream } from '../rng.js';
import { loadWeights } from '../train/checkpoint.js';
import { EXPLORE_FORMAT, type ExploreManifest, type ExploreTensor } from './manifest.js';
import { explorerParameters } from './weights.js';

export type CheckpointName = 'last' | 'best';

export interface LoadedRun {
  dir: string;
  run: RunConfig;
  checkpoint: CheckpointName;
  model: AdversarialAutoencoder;
  /** The run's test set (its --data directory's, or MNIST's); the training set is not read. */
  test: Dataset;
}

export interface ExploreBundle {
  manifest: ExploreManifest;
  weights: Float32Array; // weights.bin: every tensor of manifest.tensors back to back
}

/**
 * Loads the weights of runs/NAME's checkpoint into its model on `be`, and the run's own test set, with one clear error
 * when the run or the checkpoint is missing.
 */
export function loadRun(be: Backend, dir: string, checkpoint: CheckpointName): LoadedRun {
  const run = readRunConfig(dir);
  const file = runPaths(dir)[checkpoint];
  if (!existsSync(file)) throw new DataError(`${file}: missing; the run has no ${checkpoint} checkpoint yet`);
  const test = loadRunTestData(run.options, run.model);
  const model = createModel(be, run.model, new RngStream(run.options.seed));
  loadWeights(be, model, file);
  return { dir, run, checkpoint, model, test };
}

/** Rounds a code for the dots: 5 significant digits are far below a pixel of the plane. */
function round(v: number): number {
  return Number(v.toPrecision(5));
}

/**
 * The page's manifest and weights for `model` (from checkpoint `checkpoint` of run `run`). The first `points` test
 * images are encoded for the dots; `runFiles` says whether the page is served beside the run's own files
 * (npm run explore) or exported alone (--export).
 */
export function exploreBundle(
  be: Backend,
  model: AdversarialAutoencoder,
  test: Dataset,
  o: { run: string; checkpoint: CheckpointName; points: number; runFiles: boolean },
): ExploreBundle {
  const c = model.config;
  const params = explorerParameters(model); // no discriminator
  const heads = params.some((p) => p.name === 'heads.weight');
  const tensors: ExploreTensor[] = [];
  let offset = 0;
  for (const p of params) {
    tensors.push({ name: p.name, shape: [...p.value.shape], offset });
    offset += p.value.size;
  }
  const weights = new Float32Array(offset);
  params.forEach((p, i) => weights.set(be.download(p.value), tensors[i]!.offset));

  const n = Math.min(o.points, test.n);
  const codes = n > 0 ? encodeImages(be, model, test.images.subarray(0, n * c.inFeatures)).z : new Float32Array(0);
  const labels = test.labels ? Array.from(test.labels.subarray(0, n)) : [];
  const manifest: ExploreManifest = {
    format: EXPLORE_FORMAT,
    run: o.run,
    checkpoint: o.checkpoint,
    config: c,
    model: {
      kind: c.kind,
      inFeatures: c.inFeatures,
      image: imageShape(c),
      zDim: c.zDim,
      hidden: c.hidden,
      depth: c.depth,
      encoderClasses: model.Q.yHead ? c.classes : 0,
      decoderClasses: model.yDim,
      classWord: model.traits.classWord,
      heads,
      priorStd: c.prior.std ?? 1,
    },
    tensors,
    points: { z: Array.from(codes, round), labels },
    runFiles: o.runFiles,
  };
  return { manifest, weights };
}
