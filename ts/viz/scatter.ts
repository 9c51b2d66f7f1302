// The latent scatter: test-set codes z coloured by digit over grey samples of the prior, as an RGB image with axes and
// a legend (scatter-figure.ts). For z of more than two dimensions, both are projected on the two principal axes of the
// test codes (PCA).
import { type Backend } from '../backend/backend.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { encodeImages } from '../models/codec.js';
import { RngStream } from '../rng.js';
import { type RgbImage } from './png.js';
import { scatterFigure } from './scatter-figure.js';

/** Top-2 principal axes of points (n, d) by power iteration with deflation; returns the mean and the axes. */
export function principalAxes(points: Float32Array, d: number): { mean: Float64Array; axes: Float64Array[] } {
  const n = points.length / d;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += points[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = points[i * d + a]! - mean[a]!;
      for (let b = 0; b < d; b++) cov[a * d + b]! += (xa * (points[i * d + b]! - mean[b]!)) / n;
    }
  }
  const axes: Float64Array[] = [];
  for (let k = 0; k < Math.min(2, d); k++) {
    let v = Float64Array.from({ length: d }, (_, j) => 1 + j * 0.1);
    for (let it = 0; it < 200; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) w[a]! += cov[a * d + b]! * v[b]!;
      for (const u of axes) {
        const dot = w.reduce((s, x, j) => s + x * u[j]!, 0);
        for (let j = 0; j < d; j++) w[j]! -= dot * u[j]!;
      }
      const norm = Math.hypot(...w) || 1;
      v = w.map((x) => x / norm);
    }
    axes.push(v);
  }
  return { mean, axes };
}

/** images (n, inFeatures) with labels (n); the prior drawn with `priorSamples` points (0: none); a plot of size x size pixels. */
export function latentScatter(be: Backend, model: AdversarialAutoencoder, images: Float32Array, labels: Uint8Array, options: { size: number; priorSamples: number }): RgbImage {
  const { zDim } = model.config;
  const z = encodeImages(be, model, images).z;
  let prior: Float32Array = new Float32Array(0);
  if (options.priorSamples > 0) {
    const priorT = be.tensor([options.priorSamples, zDim]);
    model.prior.sample(be, priorT, new RngStream(777));
    prior = be.download(priorT);
    be.free(priorT);
  }
  const project = (pts: Float32Array): Float64Array => {
    if (zDim === 2) return Float64Array.from(pts);
    const { mean, axes } = principalAxes(z, zDim);
    const n = pts.length / zDim;
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 2; k++) {
        let s = 0;
        for (let j = 0; j < zDim; j++) s += (pts[i * zDim + j]! - mean[j]!) * axes[k]![j]!;
        out[2 * i + k] = s;
      }
    }
    return out;
  };
  // The plot's axes: z itself, or its first two principal components.
  const axisNames: [string, string] = zDim === 2 ? ['z1', 'z2'] : ['pc1', 'pc2'];
  return scatterFigure({ codes: project(z), labels, prior: project(prior), axisNames }, options.size);
}
