// Priors p(z) the discriminator pushes the codes towards. Each draws from the run's Philox stream, so a seed fixes
// every sample. Gaussian and uniform priors sample on the backend; the 2-D mixture and swiss roll are computed on
// the host from Philox draws and uploaded (B x 2 floats a step). The label-conditioned variant (the paper's
// Figure 4) draws each labeled example's code from its class's component or segment.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type RngStream, normals, uniforms } from '../rng.js';

export const PRIOR_NAMES = ['gaussian', 'mixture', 'swiss-roll', 'uniform'] as const;
export type PriorName = (typeof PRIOR_NAMES)[number];

export interface Prior {
  readonly name: PriorName;
  readonly dim: number;
  /**
   * out: (B, dim) <- samples; with labels (length B, values < classes), the class-conditioned variant: row i from
   * component labels[i], or from the whole prior where labels[i] < 0 (an unlabeled example).
   */
  sample(be: Backend, out: Tensor, rng: RngStream, labels?: ArrayLike<number>): void;
}

/** N(0, std^2) in every dimension (the unsupervised AAE's default std is 5). */
export class GaussianPrior implements Prior {
  readonly name = 'gaussian';
  constructor(
    readonly dim: number,
    readonly std = 1,
  ) {}

  sample(be: Backend, out: Tensor, rng: RngStream): void {
    be.randomNormal(out, { ...rng.take(out.size), std: this.std });
  }
}

/** U(-range, range) in every dimension. */
export class UniformPrior implements Prior {
  readonly name = 'uniform';
  constructor(
    readonly dim: number,
    readonly range = 2,
  ) {}

  sample(be: Backend, out: Tensor, rng: RngStream): void {
    be.randomUniform(out, { ...rng.take(out.size), low: -this.range, high: this.range });
  }
}

abstract class HostPrior2d implements Prior {
  abstract readonly name: PriorName;
  readonly dim = 2;
  constructor(readonly classes = 10) {}

  /** Writes sample i of component `k` into xy[2i], xy[2i+1] from two normals / uniforms. */
  protected abstract point(k: number, n0: number, n1: number, u: number, xy: Float32Array, i: number): void;

  sample(be: Backend, out: Tensor, rng: RngStream, labels?: ArrayLike<number>): void {
    const rows = out.shape[0]!;
    const n = normals(rng.seed, rng.take(2 * rows).offset, 2 * rows);
    const u = uniforms(rng.seed, rng.take(2 * rows).offset, 2 * rows);
    const xy = new Float32Array(2 * rows);
    for (let i = 0; i < rows; i++) {
      const label = labels ? labels[i]! : -1;
      const k = label >= 0 ? label : Math.min(this.classes - 1, Math.floor(u[2 * i]! * this.classes));
      this.point(k, n[2 * i]!, n[2 * i + 1]!, u[2 * i + 1]!, xy, i);
    }
    be.upload(out, xy);
  }
}

/** Ten 2-D Gaussians on a circle (the paper's Figure 2/4): component k is N((1.4, 0), diag(0.5, 0.05)) rotated by 2 pi k / 10. */
export class MixturePrior extends HostPrior2d {
  readonly name = 'mixture';
  protected point(k: number, n0: number, n1: number, _u: number, xy: Float32Array, i: number): void {
    const x = n0 * Math.sqrt(0.5) + 1.4;
    const y = n1 * Math.sqrt(0.05);
    const a = (2 * Math.PI * k) / this.classes;
    xy[2 * i] = x * Math.cos(a) - y * Math.sin(a);
    xy[2 * i + 1] = x * Math.sin(a) + y * Math.cos(a);
  }
}

/** A 2-D swiss roll split into `classes` consecutive segments (segment k for class k). */
export class SwissRollPrior extends HostPrior2d {
  readonly name = 'swiss-roll';
  protected point(k: number, _n0: number, _n1: number, u: number, xy: Float32Array, i: number): void {
    const t = (k + u) / this.classes;
    const r = Math.sqrt(t) * 3;
    const angle = 4 * Math.PI * Math.sqrt(t);
    xy[2 * i] = r * Math.cos(angle);
    xy[2 * i + 1] = r * Math.sin(angle);
  }
}

export interface PriorOptions {
  name: PriorName;
  dim: number;
  /** Gaussian standard deviation (default 5, the unsupervised AAE's N(0, 5^2)). */
  std?: number;
}

export function createPrior(options: PriorOptions): Prior {
  const { name, dim } = options;
  if ((name === 'mixture' || name === 'swiss-roll') && dim !== 2) {
    throw new RangeError(`prior ${name} is 2-D: it needs --z=2, got z = ${dim}`);
  }
  switch (name) {
    case 'gaussian':
      return new GaussianPrior(dim, options.std ?? 5);
    case 'uniform':
      return new UniformPrior(dim);
    case 'mixture':
      return new MixturePrior();
    case 'swiss-roll':
      return new SwissRollPrior();
    default:
      throw new RangeError(`unknown prior ${JSON.stringify(name)}; valid priors are: ${PRIOR_NAMES.join(', ')}`);
  }
}
