// Sequential: a chain of Linear (activation fused) and Dropout layers with explicit forward and backward.
// Activations live in a Trace, allocated once per application of the network at a fixed batch size; a network
// applied twice within one loss (a discriminator on real and on fake codes) simply has two traces.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type RngStream } from '../rng.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { type Parameter } from './parameter.js';

export type Layer = Linear | Dropout;

/** The buffers of one application of a Sequential at batch size B. */
export class Trace {
  input: Tensor | undefined;
  /** Whether the last forward ran in training mode (dropout applied); backward follows the same mode. */
  train = false;
  constructor(
    readonly outputs: Tensor[], // outputs[i]: (B, width_i)
    readonly grads: Tensor[], // grads[i]: (B, width_i), gradient w.r.t. outputs[i]
    readonly masks: (Tensor | undefined)[], // masks[i]: (B, width_i) for dropout layers
  ) {}

  /** The network's output: (B, out). */
  get output(): Tensor {
    return this.outputs[this.outputs.length - 1]!;
  }

  /** Where the caller writes the gradient w.r.t. the output before calling backward: (B, out). */
  get dOutput(): Tensor {
    return this.grads[this.grads.length - 1]!;
  }
}

export interface SequentialBackward {
  /** (B, in): receives the gradient w.r.t. the input; omit when the input needs none. */
  dx?: Tensor;
  accumulateInput?: boolean;
  /** dOutput already holds the gradient w.r.t. the last layer's pre-activation (sigmoid/softmax fused in the loss). */
  dyIsPreActivation?: boolean;
  /** Add to parameter gradients (second application of the network in one loss). */
  accumulateParams?: boolean;
  /** Compute parameter gradients (default true); false when only the input gradient is needed. */
  paramGrads?: boolean;
}

export class Sequential {
  readonly widths: number[];

  constructor(
    private readonly be: Backend,
    readonly inFeatures: number,
    readonly layers: Layer[],
  ) {
    let width = inFeatures;
    this.widths = layers.map((layer) => {
      if (layer instanceof Linear) {
        if (layer.inFeatures !== width) throw new Error(`Sequential: ${layer.name} expects ${layer.inFeatures} inputs but receives ${width}`);
        width = layer.outFeatures;
      }
      return width;
    });
  }

  get outFeatures(): number {
    return this.widths[this.widths.length - 1] ?? this.inFeatures;
  }

  parameters(): Parameter[] {
    return this.layers.flatMap((l) => (l instanceof Linear ? l.parameters() : []));
  }

  linears(): Linear[] {
    return this.layers.filter((l): l is Linear => l instanceof Linear);
  }

  /** Allocates the activation, gradient and mask buffers for one application at batch size `batch`. */
  trace(batch: number): Trace {
    const { be } = this;
    return new Trace(
      this.widths.map((w) => be.tensor([batch, w])),
      this.widths.map((w) => be.tensor([batch, w])),
      this.layers.map((l, i) => (l instanceof Dropout ? be.tensor([batch, this.widths[i]!]) : undefined)),
    );
  }

  // x: (B, in) -> trace.output: (B, out)
  forward(trace: Trace, x: Tensor, train: boolean, rng: RngStream): Tensor {
    trace.input = x;
    trace.train = train;
    let input = x;
    this.layers.forEach((layer, i) => {
      const out = trace.outputs[i]!;
      if (layer instanceof Linear) layer.forward(input, out);
      else layer.forward(input, out, trace.masks[i]!, train, rng);
      input = out;
    });
    return trace.output;
  }

  /**
   * Back-propagates trace.dOutput (which it overwrites, as it does every gradient buffer of the trace). A relu layer
   * followed by dropout is differentiated in one pass from the dropout's output (reluDropoutBackward), its bias
   * gradient included; after an evaluation-mode forward, dropout's gradient is the identity.
   */
  backward(trace: Trace, options: SequentialBackward = {}): void {
    const { be } = this;
    const last = this.layers.length - 1;
    const paramGrads = options.paramGrads ?? true;
    const accumulateParams = options.accumulateParams ?? false;
    /** Layer i's pre-activation gradient (and, with paramGrads, its bias gradient) is already in trace.grads[i]. */
    let fusedInto = -1;
    for (let i = last; i >= 0; i--) {
      const layer = this.layers[i]!;
      const x = i === 0 ? trace.input! : trace.outputs[i - 1]!;
      const dx = i === 0 ? options.dx : trace.grads[i - 1]!;
      const accumulateInput = i === 0 && (options.accumulateInput ?? false);
      if (layer instanceof Dropout) {
        if (!dx) continue;
        if (accumulateInput) throw new Error('Sequential: a network may not start with dropout when accumulating the input gradient');
        const prev = this.layers[i - 1];
        if (!trace.train || layer.p === 0) {
          be.copy(trace.grads[i]!, dx);
        } else if (prev instanceof Linear && prev.activation === 'relu') {
          be.reluDropoutBackward(trace.outputs[i]!, trace.grads[i]!, dx, {
            p: layer.p,
            ...(paramGrads ? { db: prev.bias.grad } : {}),
            accumulate: accumulateParams,
          });
          fusedInto = i - 1;
        } else {
          layer.backward(trace.grads[i]!, trace.masks[i]!, dx);
        }
        continue;
      }
      const fused = fusedInto === i;
      const dyIsPreActivation = fused || (i === last && (options.dyIsPreActivation ?? false));
      if (paramGrads) {
        layer.backward({
          x,
          y: trace.outputs[i]!,
          dy: trace.grads[i]!,
          ...(dx ? { dx } : {}),
          dyIsPreActivation,
          biasGradDone: fused,
          accumulateParams,
          accumulateInput,
        });
      } else if (dx) {
        layer.inputGrad({ y: trace.outputs[i]!, dy: trace.grads[i]!, dx, dyIsPreActivation, accumulateInput });
      }
    }
  }
}
