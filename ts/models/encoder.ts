// Q, the encoder: a shared trunk with a linear style head z and, for the semi-supervised and clustering models,
// a softmax class head y. Gradients from both heads meet in the trunk.
import { type Backend, type Tensor } from '../backend/backend.js';
import { Linear } from '../nn/linear.js';
import { type Parameter } from '../nn/parameter.js';
import { Sequential, type Trace } from '../nn/sequential.js';
import { type RngStream } from '../rng.js';
import { type NetShape, hiddenLayers, outputName } from './nets.js';

export interface EncoderOptions {
  inFeatures: number;
  zDim: number;
  /** Classes of the softmax head; 0 for an encoder with only the style head. */
  classes: number;
  shape: NetShape;
  batch: number;
}

export class Encoder {
  readonly trunk: Sequential;
  readonly zHead: Linear; // lin3gauss: (hidden) -> (z)
  readonly yHead: Linear | undefined; // lin3cat: (hidden) -> (classes), softmax applied outside the GEMM
  readonly trace: Trace;
  readonly z: Tensor; // (B, zDim)
  readonly logits: Tensor | undefined; // (B, classes)
  readonly y: Tensor | undefined; // (B, classes) = softmax(logits)
  /** Gradient buffers the phases write before calling backward. */
  readonly dz: Tensor; // (B, zDim)
  readonly dy: Tensor | undefined; // (B, classes), w.r.t. the softmax output y
  readonly dLogits: Tensor | undefined; // (B, classes), w.r.t. the logits

  constructor(
    private readonly be: Backend,
    o: EncoderOptions,
  ) {
    this.trunk = new Sequential(be, o.inFeatures, hiddenLayers(be, 'Q', o.inFeatures, o.shape));
    const width = this.trunk.outFeatures;
    this.zHead = new Linear(be, 'Q', { name: outputName(o.shape, 'gauss'), inFeatures: width, outFeatures: o.zDim });
    this.trace = this.trunk.trace(o.batch);
    this.z = be.tensor([o.batch, o.zDim]);
    this.dz = be.tensor([o.batch, o.zDim]);
    if (o.classes > 0) {
      this.yHead = new Linear(be, 'Q', { name: outputName(o.shape, 'cat'), inFeatures: width, outFeatures: o.classes });
      this.logits = be.tensor([o.batch, o.classes]);
      this.y = be.tensor([o.batch, o.classes]);
      this.dy = be.tensor([o.batch, o.classes]);
      this.dLogits = be.tensor([o.batch, o.classes]);
    }
  }

  /** Layers in state_dict order: trunk, then lin3cat, then lin3gauss (as the reference Q_net). */
  linears(): Linear[] {
    return [...this.trunk.linears(), ...(this.yHead ? [this.yHead] : []), this.zHead];
  }

  parameters(): Parameter[] {
    return this.linears().flatMap((l) => l.parameters());
  }

  /** Trunk and class head: what the cross-entropy phase updates. */
  classifierParameters(): Parameter[] {
    return [...this.trunk.parameters(), ...(this.yHead?.parameters() ?? [])];
  }

  // x: (B, in) -> this.z (and this.logits, this.y)
  forward(x: Tensor, train: boolean, rng: RngStream): void {
    const h = this.trunk.forward(this.trace, x, train, rng);
    this.zHead.forward(h, this.z);
    if (this.yHead) {
      this.yHead.forward(h, this.logits!);
      this.be.softmax(this.logits!, this.y!);
    }
  }

  /**
   * Back-propagates from the heads that received a gradient: `z`: this.dz; `y`: this.dy (w.r.t. the softmax
   * output); `logits`: this.dLogits (e.g. from cross-entropy).
   * `accumulateParams` adds to the parameter gradients instead of overwriting them (a second loss in one update);
   * `paramGrads: false` leaves them untouched (only the input gradient is wanted); `dx` (B, in) receives the
   * gradient with respect to Q's input (virtual adversarial training's power iteration).
   */
  backward(from: { z?: boolean; y?: boolean; logits?: boolean; accumulateParams?: boolean; paramGrads?: boolean; dx?: Tensor }): void {
    const h = this.trace.output;
    const dh = this.trace.dOutput;
    const accumulateParams = from.accumulateParams ?? false;
    const paramGrads = from.paramGrads ?? true;
    const head = (layer: Linear, y: Tensor, dy: Tensor, accumulateInput: boolean): void => {
      if (paramGrads) layer.backward({ x: h, y, dy, dx: dh, accumulateInput, accumulateParams });
      else layer.inputGrad({ y, dy, dx: dh, accumulateInput });
    };
    let first = true;
    if (from.z) {
      head(this.zHead, this.z, this.dz, false);
      first = false;
    }
    if (from.y || from.logits) {
      if (!this.yHead) throw new Error('Encoder: no class head to back-propagate into');
      if (from.y) this.be.softmaxBackward(this.y!, this.dy!, this.dLogits!);
      head(this.yHead, this.logits!, this.dLogits!, !first);
      first = false;
    }
    if (first) throw new Error('Encoder.backward: no head received a gradient');
    this.trunk.backward(this.trace, { accumulateParams, paramGrads, ...(from.dx ? { dx: from.dx } : {}) });
  }
}
