// Figure data: grids of decoded images, computed in evaluation mode on any backend.
//   reconstructions: test images (odd rows) above their reconstructions (even rows);
//   manifold: the decoder over a regular grid of 2-D codes z in [-range, range]^2 (the Paperspace post's figure);
//   style/content: rows are style samples z from the prior, columns are the classes 0..k-1 (supervised, semi-supervised,
//   and for clustering one row of samples per cluster).
import { type Backend } from '../backend/backend.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { decodeCodes, encodeImages } from '../models/codec.js';
import { RngStream, normals } from '../rng.js';
import { type GrayImage } from './png.js';

/** Tiles N images of side x side pixels ((N, side*side) in [0, 1]) into rows x cols with a 1-pixel gap. */
export function tile(images: Float32Array, rows: number, cols: number, side = 28): GrayImage {
  const gap = 1;
  const width = cols * (side + gap) + gap;
  const height = rows * (side + gap) + gap;
  const pixels = new Float32Array(width * height).fill(0.5);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const img = images.subarray((r * cols + c) * side * side, (r * cols + c + 1) * side * side);
      if (img.length < side * side) continue;
      for (let y = 0; y < side; y++) {
        pixels.set(img.subarray(y * side, (y + 1) * side), (gap + r * (side + gap) + y) * width + gap + c * (side + gap));
      }
    }
  }
  return { width, height, pixels };
}

/** images: (n, 784) test images; returns 2 rows of n: inputs above reconstructions. */
export function reconstructionFigure(be: Backend, model: AdversarialAutoencoder, images: Float32Array, labels?: Uint8Array): GrayImage {
  const n = images.length / 784;
  let recon: Float32Array;
  if (model.config.kind === 'supervised') {
    const y = new Float32Array(n * model.config.classes);
    labels!.subarray(0, n).forEach((l, i) => (y[i * model.config.classes + l] = 1));
    recon = decodeCodes(be, model, encodeImages(be, model, images).z, y);
  } else {
    const codes = encodeImages(be, model, images);
    recon = decodeCodes(be, model, codes.z, codes.y);
  }
  const both = new Float32Array(2 * images.length);
  both.set(images, 0);
  both.set(recon, images.length);
  return tile(both, 2, n);
}

/** The decoder over a steps x steps grid of z in [-range, range]^2 (unsupervised, z = 2). */
export function manifoldFigure(be: Backend, model: AdversarialAutoencoder, options: { range: number; steps: number }): GrayImage {
  const { range, steps } = options;
  const z = new Float32Array(steps * steps * 2);
  for (let r = 0; r < steps; r++) {
    for (let c = 0; c < steps; c++) {
      const i = r * steps + c;
      z[2 * i] = -range + (2 * range * c) / (steps - 1);
      z[2 * i + 1] = range - (2 * range * r) / (steps - 1);
    }
  }
  return tile(decodeCodes(be, model, z), steps, steps);
}

/** The seed of the style codes in a run's own style/content figure. */
export const STYLE_SEED = 12345;

/** Rows: `rows` style codes z ~ N(0, std^2) drawn with `seed` (default STYLE_SEED); columns: one-hot classes 0..k-1. */
export function styleContentFigure(be: Backend, model: AdversarialAutoencoder, options: { rows: number; std: number; seed?: number }): GrayImage {
  const { zDim, classes } = model.config;
  const k = classes;
  const styles = normals(options.seed ?? STYLE_SEED, 0, options.rows * zDim);
  const z = new Float32Array(options.rows * k * zDim);
  const y = new Float32Array(options.rows * k * k);
  for (let r = 0; r < options.rows; r++) {
    for (let c = 0; c < k; c++) {
      const i = r * k + c;
      for (let d = 0; d < zDim; d++) z[i * zDim + d] = options.std * styles[r * zDim + d]!;
      y[i * k + c] = 1;
    }
  }
  return tile(decodeCodes(be, model, z, y), options.rows, k);
}

/** `count` images decoded from z drawn from the model's prior (class codes, where the decoder takes one, uniform). */
export function priorSamplesFigure(be: Backend, model: AdversarialAutoencoder, options: { rows: number; cols: number; seed: number }): GrayImage {
  const { zDim } = model.config;
  const n = options.rows * options.cols;
  const zT = be.tensor([n, zDim]);
  model.prior.sample(be, zT, new RngStream(options.seed));
  const z = be.download(zT);
  be.free(zT);
  let y: Float32Array | undefined;
  if (model.yDim > 0) {
    y = new Float32Array(n * model.yDim);
    for (let i = 0; i < n; i++) y[i * model.yDim + (i % model.yDim)] = 1;
  }
  return tile(decodeCodes(be, model, z, y), options.rows, options.cols);
}
