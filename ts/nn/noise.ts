// Additive Gaussian noise, the training-time corruption of Q's input (--input-noise) and of the discriminators'
// inputs (--disc-noise): out = x + N(0, std^2), a fresh draw from the stream each call. The noise is additive, so
// d out / d x = I and gradients pass through unchanged.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type RngStream } from '../rng.js';

// x, out: (B, n); returns out.
export function addGaussianNoise(be: Backend, x: Tensor, out: Tensor, options: { std: number; rng: RngStream }): Tensor {
  be.randomNormal(out, { ...options.rng.take(out.size), std: options.std });
  be.axpby(x, out, out, { alpha: 1, beta: 1 });
  return out;
}
