// Figure data: grids of decoded images of the model's image shape (grey, or RGB for 3 channels), computed in
// evaluation mode on any backend.
//   reconstructions: test images (odd rows) above their reconstructions (even rows);
//   manifold: the decoder over a regular grid of 2-D codes z in [-range, range]^2 (the Paperspace post's figure);
//   style/content: rows are style samples z from the prior, columns are the classes 0..k-1 (supervised, semi-supervised,
//   and for clustering one row of samples per cluster).
import { type Backend } from '../backend/backend.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { decodeCodes, encodeImages } from '../models/codec.js';
import { imageShape } from '../models/config.js';
import { RngStream, normals } from '../rng.js';
import { type ImageShape, imageSize } from '../util/image-shape.js';
import { type FigureImage } from './png.js';

/**
 * Tiles images ((rows * cols, H * W * C) in [0, 1], channels interleaved) into rows x cols tiles of H x W pixels
 * with a 1-pixel grey gap; a grey image for C = 1, an RGB one for C = 3. Missing images leave their tiles grey.
 */
export function tile(images: Float32Array, options: { rows: number; cols: number; shape: ImageShape }): FigureImage {
  const { rows, cols, shape } = options;
  const { height: h, width: w, channels: C } = shape;
  const size = imageSize(shape);
  const gap = 1;
  const width = cols * (w + gap) + gap;
  const height = rows * (h + gap) + gap;
  const values = new Float32Array(width * height * C).fill(0.5); // (height, width, C)
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const img = images.subarray((r * cols + c) * size, (r * cols + c + 1) * size);
      if (img.length < size) continue;
      for (let y = 0; y < h; y++) {
        values.set(img.subarray(y * w * C, (y + 1) * w * C), ((gap + r * (h + gap) + y) * width + gap + c * (w + gap)) * C);
      }
    }
  }
  if (C === 1) return { width, height, pixels: values };
  if (C !== 3) throw new RangeError(`tile: images of ${C} channels; figures draw 1 (grey) or 3 (RGB)`);
  return { width, height, rgb: Uint8Array.from(values, (v) => Math.round(255 * Math.min(1, Math.max(0, v)))) };
}

/** Tiles images decoded by `model` into rows x cols tiles of its image shape. */
function tileOf(model: AdversarialAutoencoder, images: Float32Array, rows: number, cols: number): FigureImage {
  return tile(images, { rows, cols, shape: imageShape(model.config) });
}

/** images: (n, H * W * C) test images; returns 2 rows of n: inputs above reconstructions. */
export function reconstructionFigure(be: Backend, model: AdversarialAutoencoder, images: Float32Array, labels?: Uint8Array): FigureImage {
  const n = images.length / model.config.inFeatures;
  let recon: Float32Array;
  if (model.traits.decoderTakesLabels) {
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
  return tileOf(model, both, 2, n);
}

/** The decoder over a steps x steps grid of z in [-range, range]^2 (unsupervised, z = 2). */
export function manifoldFigure(be: Backend, model: AdversarialAutoencoder, options: { range: number; steps: number }): FigureImage {
  const { range, steps } = options;
  const z = new Float32Array(steps * steps * 2);
  for (let r = 0; r < steps; r++) {
    for (let c = 0; c < steps; c++) {
      const i = r * steps + c;
      z[2 * i] = -range + (2 * range * c) / (steps - 1);
      z[2 * i + 1] = range - (2 * range * r) / (steps - 1);
    }
  }
  return tileOf(model, decodeCodes(be, model, z), steps, steps);
}

/** The seed of the style codes in a run's own style/content figure. */
export const STYLE_SEED = 12345;

/** Rows: `rows` style codes z ~ N(0, std^2) drawn with `seed` (default STYLE_SEED); columns: one-hot classes 0..k-1. */
export function styleContentFigure(be: Backend, model: AdversarialAutoencoder, options: { rows: number; std: number; seed?: number }): FigureImage {
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
  return tileOf(model, decodeCodes(be, model, z, y), options.rows, k);
}

/** `count` images decoded from z drawn from the model's prior (class codes, where the decoder takes one, uniform). */
export function priorSamplesFigure(be: Backend, model: AdversarialAutoencoder, options: { rows: number; cols: number; seed: number }): FigureImage {
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
  return tileOf(model, decodeCodes(be, model, z, y), options.rows, options.cols);
}
