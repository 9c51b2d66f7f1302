// Supervised AAE (Makhzani et al. 2016, Sec. 4): the unsupervised AAE whose decoder also receives the one-hot label,
// so z learns the style and y the content; D_gauss pushes z towards the prior.
// Each iteration: reconstruction (with the true label) -> discriminator -> generator.
import { type Backend } from '../backend/backend.js';
import { type RngStream } from '../rng.js';
import { type StepBatch } from './autoencoder.js';
import { type AaeConfig } from './config.js';
import { UnsupervisedAAE } from './unsupervised.js';

export class SupervisedAAE extends UnsupervisedAAE {
  constructor(be: Backend, config: AaeConfig) {
    super(be, config, config.classes);
  }

  protected override phases(batch: StepBatch, rng: RngStream): void {
    if (!batch.y) throw new Error('SupervisedAAE.step: needs the one-hot labels y of the batch');
    this.reconstructionPhase(batch.x, rng, { label: batch.y });
    this.regularisationPhases(batch, rng);
  }
}
