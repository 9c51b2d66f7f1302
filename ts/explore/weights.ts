// weights.bin: which of a model's parameters it holds (bundle.ts writes them), and the model rebuilt from it and
// manifest.json (the page reads them). No Node imports: the page's bundle includes this file.
import { type Backend } from '../backend/backend.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { createModel } from '../models/create.js';
import { type TakeTensor, loadParameters } from '../nn/load-parameters.js';
import { type Parameter } from '../nn/parameter.js';
import { RngStream } from '../rng.js';
import { type ExploreManifest } from './manifest.js';

/** Q, P and, for the dimensionality-reduction model, its cluster heads W_c: what encoding and decoding use. */
export function explorerParameters(model: AdversarialAutoencoder): Parameter[] {
  return model.parameters().filter((p) => p.name.startsWith('Q.') || p.name.startsWith('P.') || p.name === 'heads.weight');
}

/** The tensors of `weights` (weights.bin's float32 values) by their entries in the manifest's table. */
function weightsTable(manifest: ExploreManifest, weights: Float32Array): TakeTensor {
  const tensors = new Map(manifest.tensors.map((t) => [t.name, t]));
  const { kind, depth } = manifest.config;
  return (name, shape) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`explorer: manifest.json has no tensor ${name} (a ${kind} model with depth ${depth} needs it)`);
    if (t.shape.join(',') !== shape.join(',')) throw new Error(`explorer: tensor ${name} has shape [${t.shape}], expected [${shape}]`);
    const n = shape.reduce((a, b) => a * b, 1);
    if (t.offset + n > weights.length) throw new Error(`explorer: tensor ${name} lies past the end of weights.bin (${weights.length} floats)`);
    return weights.subarray(t.offset, t.offset + n);
  };
}

/**
 * The run's model (createModel with the manifest's config) on `be`, for batches of `batch` rows, with Q, P and the
 * cluster heads loaded from `weights`; for evaluation only: the discriminators keep their initialisation.
 */
export function explorerModel(be: Backend, manifest: ExploreManifest, weights: Float32Array, batch: number): AdversarialAutoencoder {
  const model = createModel(be, { ...manifest.config, batch }, new RngStream(0));
  loadParameters(be, explorerParameters(model), weightsTable(manifest, weights));
  return model;
}
