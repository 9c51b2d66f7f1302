// Virtual adversarial training (Miyato et al., "Virtual Adversarial Training", TPAMI 2018): a consistency term on
// Q's class head. For each image x of a batch, r_adv is the direction of radius eps that changes q(y|x) the most,
// found by one power iteration from a random direction d:
//   p = q(y|x)                                  (evaluation mode, held constant)
//   g = grad_r KL(p || q(y|x + r)) at r = xi d/|d|
//   r_adv = eps g/|g|                          (eps s_x g/|g| with a radius s_x per image: IMSAT's adaptive eps)
//   loss = weight * KL(p || q(y|x + r_adv)) + entropyWeight * H(q(y|x))   (the entropy term: VAT + EntMin)
//          - marginalWeight * H(mean over the batch of q(y|x))            (IMSAT's H(Y): balanced classes)
// Q runs in evaluation mode throughout (no dropout), so the KL is zero at r = 0 and measures only the perturbation.
// KL(p || q) = CE(p, q) - H(p): the cross-entropy op against the soft target p gives the gradient (q - p)/B.
// The gradients are added to Q's trunk and class head (accumulated into their parameter gradients), so they join
// the update of the phase that calls this: the cross-entropy phase of the semi-supervised model, the generator
// phase of the clustering model.
import { type Backend, type Tensor } from '../backend/backend.js';
import { type RngStream } from '../rng.js';
import { type Encoder } from './encoder.js';

export interface VatOptions {
  /** Radius of the adversarial perturbation, in pixel units (L2 norm per image). */
  eps: number;
  /** Radius of the finite-difference probe of the power iteration. */
  xi: number;
  /** Weight of the KL term. */
  weight: number;
  /** Weight of the entropy of q(y|x) (0: none). */
  entropyWeight: number;
  /**
   * Weight of the entropy of the batch's mean q(y|x), maximised (0: none): Hu et al. 2017, "Learning Discrete
   * Representations via Information Maximizing Self-Augmented Training" (IMSAT), whose clustering objective is
   * VAT + entropyWeight H(Y|X) - marginalWeight H(Y); with the entropy term alone every image can fall in one class.
   */
  marginalWeight?: number;
  /**
   * The radius of each image's perturbation is eps times the distance to its neighbour-th nearest training image
   * (IMSAT's adaptive radius: eps 0.25, neighbour 10), the trainer's StepBatch.vatRadius; absent: eps for every image.
   */
  neighbour?: number;
}

export class VirtualAdversarial {
  /** KL(p || q(y|x + r_adv)), mean over the batch, of the last call: (1). */
  readonly loss: Tensor;
  /** H(q(y|x)), mean over the batch, of the last call: (1). */
  readonly entropy: Tensor;
  /** H(mean over the batch of q(y|x)) of the last call: (1). */
  readonly marginalEntropy: Tensor;
  /** q(y|x) of the last call, the constant target: (B, classes). */
  readonly target: Tensor;
  /** r_adv of the last call (the probe direction during it): (B, in). */
  readonly perturbation: Tensor;
  readonly #xr: Tensor; // (B, in): x + r
  readonly #crossEntropy: Tensor; // (1)
  readonly #dMarginal: Tensor | undefined; // (B, classes)

  constructor(
    private readonly be: Backend,
    private readonly Q: Encoder,
    readonly options: VatOptions & { batch: number; inFeatures: number; classes: number },
  ) {
    const { batch, inFeatures, classes } = options;
    this.loss = be.tensor([1]);
    this.entropy = be.tensor([1]);
    this.marginalEntropy = be.tensor([1]);
    if ((options.marginalWeight ?? 0) > 0) this.#dMarginal = be.tensor([batch, classes]);
    this.target = be.tensor([batch, classes]);
    this.perturbation = be.tensor([batch, inFeatures]);
    this.#xr = be.tensor([batch, inFeatures]);
    this.#crossEntropy = be.tensor([1]);
  }

  /**
   * Adds the gradients of the VAT (and entropy) loss of x: (B, in) to Q's trunk and class-head gradients; radius:
   * (B, 1), each image's perturbation radius in units of eps (options.neighbour), else eps for every image.
   */
  accumulateGradients(x: Tensor, rng: RngStream, radius?: Tensor): void {
    const { be, Q } = this;
    const { eps, xi, weight, entropyWeight } = this.options;
    const p = this.target;
    const r = this.perturbation;
    const xr = this.#xr;
    const marginalWeight = this.options.marginalWeight ?? 0;
    Q.forward(x, false, rng);
    be.copy(Q.y!, p);
    be.entropy(Q.logits!, this.entropy, entropyWeight > 0 ? Q.dLogits! : undefined);
    be.marginalEntropy(Q.logits!, this.marginalEntropy, this.#dMarginal);
    if (entropyWeight > 0 || this.#dMarginal) {
      // d/dlogits of entropyWeight H(Y|X) - marginalWeight H(Y), one backward pass for both.
      if (entropyWeight > 0) be.axpby(Q.dLogits!, Q.dLogits!, Q.dLogits!, { alpha: entropyWeight, beta: 0 });
      else be.fill(Q.dLogits!, 0);
      if (this.#dMarginal) be.axpby(Q.dLogits!, this.#dMarginal, Q.dLogits!, { alpha: 1, beta: -marginalWeight });
      Q.backward({ logits: true, accumulateParams: true });
    }
    // Power iteration: the gradient of the KL at x + xi d, d random, is the dominant direction's estimate.
    be.randomNormal(r, rng.take(r.size));
    be.l2NormalizeRows(r, r, { scale: xi });
    be.axpby(x, r, xr, { alpha: 1, beta: 1 });
    Q.forward(xr, false, rng);
    be.crossEntropy(Q.logits!, p, this.#crossEntropy, Q.dLogits!);
    Q.backward({ logits: true, paramGrads: false, dx: r });
    if (this.options.neighbour !== undefined && !radius) throw new Error('VirtualAdversarial: options.neighbour needs each image\'s radius (StepBatch.vatRadius)');
    be.l2NormalizeRows(r, r, { scale: eps, ...(radius ? { rowScales: radius } : {}) });
    // The adversarial point and the loss there.
    be.axpby(x, r, xr, { alpha: 1, beta: 1 });
    Q.forward(xr, false, rng);
    be.crossEntropy(Q.logits!, p, this.#crossEntropy, Q.dLogits!);
    be.axpby(this.#crossEntropy, this.entropy, this.loss, { alpha: 1, beta: -1 });
    be.axpby(Q.dLogits!, Q.dLogits!, Q.dLogits!, { alpha: weight, beta: 0 });
    Q.backward({ logits: true, accumulateParams: true });
  }
}
