// Host-array encoding and decoding for users of the API: images in, codes out, and back, in batches of the
// model's batch size (the last batch padded), evaluation mode (no dropout).
import { type Backend } from '../backend/backend.js';
import { RngStream } from '../rng.js';
import { type AdversarialAutoencoder } from './autoencoder.js';

export interface Codes {
  /** (N, zDim): the code P decodes besides y: Q's z, or the dimred model's representation W_c y + z. */
  z: Float32Array;
  /** (N, classes): Q's class probabilities, for models with a class head (semi-supervised, clustering). */
  y?: Float32Array;
}

/** Calls fn(start, count) for each batch of at most B of n rows. */
function batched(n: number, B: number, fn: (start: number, count: number) => void): void {
  for (let start = 0; start < n; start += B) fn(start, Math.min(B, n - start));
}

/** Copies rows [start, start + count) of src (rows of `width`) into a B-row buffer, repeating the last row. */
function stage(src: Float32Array, width: number, start: number, count: number, B: number): Float32Array {
  const out = new Float32Array(B * width);
  out.set(src.subarray(start * width, (start + count) * width));
  for (let i = count; i < B; i++) out.copyWithin(i * width, (count - 1) * width, count * width);
  return out;
}

// images: (N, inFeatures) -> codes
export function encodeImages(be: Backend, model: AdversarialAutoencoder, images: Float32Array): Codes {
  const { batch: B, inFeatures, zDim, classes } = model.config;
  if (images.length % inFeatures !== 0) throw new RangeError(`encodeImages: ${images.length} values is not a whole number of ${inFeatures}-pixel images`);
  const n = images.length / inFeatures;
  const x = be.tensor([B, inFeatures]);
  const rng = new RngStream(0);
  const z = new Float32Array(n * zDim);
  const y = model.Q.y ? new Float32Array(n * classes) : undefined;
  batched(n, B, (start, count) => {
    be.upload(x, stage(images, inFeatures, start, count, B));
    model.encode(x, rng);
    z.set(be.download(model.decoderCode).subarray(0, count * zDim), start * zDim);
    if (y) y.set(be.download(model.Q.y!).subarray(0, count * classes), start * classes);
  });
  be.free(x);
  return y ? { z, y } : { z };
}

// z: (N, zDim), classCode: (N, classes) for models whose decoder takes one -> images (N, inFeatures)
export function decodeCodes(be: Backend, model: AdversarialAutoencoder, z: Float32Array, classCode?: Float32Array): Float32Array {
  const { batch: B, inFeatures, zDim } = model.config;
  const yDim = model.yDim;
  if (z.length % zDim !== 0) throw new RangeError(`decodeCodes: z has ${z.length} values, not a whole number of ${zDim}-dimensional codes`);
  const n = z.length / zDim;
  if (yDim > 0 && classCode?.length !== n * yDim) {
    throw new RangeError(`decodeCodes: this ${model.config.kind} model needs a class code of ${n} x ${yDim} values, got ${classCode?.length ?? 'none'}`);
  }
  const zT = be.tensor([B, zDim]);
  const yT = yDim > 0 ? be.tensor([B, yDim]) : undefined;
  const rng = new RngStream(0);
  const out = new Float32Array(n * inFeatures);
  batched(n, B, (start, count) => {
    be.upload(zT, stage(z, zDim, start, count, B));
    if (yT) be.upload(yT, stage(classCode!, yDim, start, count, B));
    const images = model.decodeCodes(zT, yT, rng);
    out.set(be.download(images).subarray(0, count * inFeatures), start * inFeatures);
  });
  be.free(zT);
  if (yT) be.free(yT);
  return out;
}
