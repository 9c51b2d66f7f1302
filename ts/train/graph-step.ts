// Training iterations replayed from a captured graph (CUDA Graphs on the CUDA backend: an AAE iteration is ~300
// small kernels, so launching them one by one from JavaScript costs more than running them).
//
// The first iteration runs eagerly (it builds per-optimiser device tables and takes SGD's first-step branch); the
// second is captured with Backend.captureGraph and launched; every later one replays that graph with
//   shift.rng  = how far the run's random stream has moved since the captured iteration began,
//   shift.step = iterations since the captured one (every optimiser in the graph updates once per iteration),
// after advancing the TypeScript-side state (random stream, optimiser step counts) exactly as an eager iteration
// would, so checkpoints, resume and the metrics are the same with and without graphs. A learning rate changed by
// the schedule is baked into the graph, so a change triggers a new capture. A model whose step cannot be captured
// (it synchronises, say) trains eagerly, with the reason in disabledReason.
import { type Backend, BackendError, type StepGraph } from '../backend/backend.js';
import { type AdversarialAutoencoder, type StepBatch } from '../models/autoencoder.js';
import { type RngStream } from '../rng.js';

interface Captured {
  graph: StepGraph;
  /** The random stream's offset when the captured iteration began, and the counters one iteration takes. */
  rngAtCapture: number;
  rngPerStep: number;
  /** Iterations replayed since the capture. */
  replays: number;
  /** The optimisers' learning rates the graph holds. */
  lrs: number[];
}

export class GraphedStep {
  #eagerDone = false;
  #captured: Captured | undefined;
  /** Why graphs were given up for this model (undefined while they are in use). */
  disabledReason: string | undefined;

  constructor(
    private readonly be: Backend,
    private readonly model: AdversarialAutoencoder,
    private readonly rng: RngStream,
  ) {}

  /** One training iteration on `batch` (the same tensors every iteration). */
  step(batch: StepBatch): void {
    if (!this.#eagerDone || this.disabledReason !== undefined) {
      this.model.step(batch, this.rng);
      this.#eagerDone = true;
      return;
    }
    const c = this.#captured;
    if (c && this.#lrs().every((lr, i) => lr === c.lrs[i])) {
      c.replays++;
      const shift = { rng: this.rng.offset - c.rngAtCapture, step: c.replays };
      this.rng.offset += c.rngPerStep;
      for (const opt of this.model.optimizers()) opt.step++;
      c.graph.launch(shift);
      return;
    }
    c?.graph.dispose();
    this.#captured = undefined;
    this.#capture(batch);
  }

  /** Records this iteration into a graph and launches it once (nothing runs while capturing). */
  #capture(batch: StepBatch): void {
    const optimizers = this.model.optimizers();
    const stepsBefore = optimizers.map((o) => o.step);
    const rngAtCapture = this.rng.offset;
    for (const o of optimizers) o.state(); // an optimiser's state is allocated on first use: here, not while capturing
    let graph: StepGraph;
    try {
      graph = this.be.captureGraph(() => this.model.step(batch, this.rng));
    } catch (e) {
      if (!(e instanceof BackendError)) throw e;
      // The model's step does something a graph cannot hold (e.g. a download): undo what the partial capture
      // advanced and train eagerly from now on.
      this.rng.offset = rngAtCapture;
      optimizers.forEach((o, i) => (o.step = stepsBefore[i]!));
      this.disabledReason = e.message;
      this.model.step(batch, this.rng);
      return;
    }
    graph.launch({ rng: 0, step: 0 });
    const updates = optimizers.map((o, i) => o.step - stepsBefore[i]!);
    const odd = optimizers.findIndex((_, i) => updates[i] !== 1);
    if (odd >= 0) {
      // Replays shift every optimiser's step by one per iteration; an optimiser updated 0 or 2+ times breaks that.
      graph.dispose();
      this.disabledReason = `optimizer ${optimizers[odd]!.name} updated ${updates[odd]} times in one iteration (graphs need exactly 1)`;
      return;
    }
    this.#captured = { graph, rngAtCapture, rngPerStep: this.rng.offset - rngAtCapture, replays: 0, lrs: this.#lrs() };
  }

  #lrs(): number[] {
    return this.model.optimizers().map((o) => o.lr);
  }

  dispose(): void {
    this.#captured?.graph.dispose();
    this.#captured = undefined;
  }
}
