// The reference networks: Q (encoder), P (decoder) and D (discriminator), each `depth` hidden layers of `hidden`
// ReLU units followed by dropout, as in the reference PyTorch code (with the ReLU it forgot in P restored).
// Layer names follow that code's modules: lin1, lin2, ..., then the output layer (lin3, lin3gauss, lin3cat).
import { type Activation, type Backend } from '../backend/backend.js';
import { Dropout } from '../nn/dropout.js';
import { type Layer, Sequential } from '../nn/sequential.js';
import { Linear } from '../nn/linear.js';

export interface NetShape {
  hidden: number;
  depth: number;
  dropout: number;
}

/** lin1..lin{depth}: Linear + ReLU (fused), then Dropout. */
export function hiddenLayers(be: Backend, prefix: string, inFeatures: number, shape: NetShape): Layer[] {
  const layers: Layer[] = [];
  let width = inFeatures;
  for (let i = 1; i <= shape.depth; i++) {
    layers.push(new Linear(be, prefix, { name: `lin${i}`, inFeatures: width, outFeatures: shape.hidden, activation: 'relu' }));
    layers.push(new Dropout(be, shape.dropout));
    width = shape.hidden;
  }
  return layers;
}

/** The name of the output layer after `depth` hidden layers, e.g. "lin3" or "lin3gauss". */
export function outputName(shape: NetShape, suffix = ''): string {
  return `lin${shape.depth + 1}${suffix}`;
}

/** A full MLP: hidden layers, then one Linear output layer. */
export function mlp(
  be: Backend,
  prefix: string,
  inFeatures: number,
  shape: NetShape,
  out: { features: number; activation: Activation; suffix?: string },
): Sequential {
  const hidden = hiddenLayers(be, prefix, inFeatures, shape);
  const width = shape.depth > 0 ? shape.hidden : inFeatures;
  const last = new Linear(be, prefix, { name: outputName(shape, out.suffix), inFeatures: width, outFeatures: out.features, activation: out.activation });
  return new Sequential(be, inFeatures, [...hidden, last]);
}
