// Parameter initialisation, drawn on the backend from the run's Philox stream.
import { type Backend } from '../backend/backend.js';
import { type RngStream } from '../rng.js';
import { type Linear } from './linear.js';

/**
 * PyTorch's default nn.Linear init: weight ~ U(-1/sqrt(in), 1/sqrt(in)) (kaiming_uniform with a = sqrt(5)) and
 * bias ~ U(-1/sqrt(in), 1/sqrt(in)).
 */
export function initLinearDefault(be: Backend, layer: Linear, rng: RngStream): void {
  const bound = 1 / Math.sqrt(layer.inFeatures);
  be.randomUniform(layer.weight.value, { ...rng.take(layer.weight.value.size), low: -bound, high: bound });
  be.randomUniform(layer.bias.value, { ...rng.take(layer.bias.value.size), low: -bound, high: bound });
}

/** weight ~ N(0, std^2), bias = 0 (the AAE paper's appendix initialisation uses std 0.01). */
export function initLinearNormal(be: Backend, layer: Linear, rng: RngStream, std: number): void {
  be.randomNormal(layer.weight.value, { ...rng.take(layer.weight.value.size), std });
  be.fill(layer.bias.value, 0);
}
