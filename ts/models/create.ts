// Builds a model of the configured kind and initialises every layer (PyTorch's Linear default, or N(0, initStd^2)
// weights and zero biases), in state_dict order, from the run's Philox stream.
import { type Backend } from '../backend/backend.js';
import { initLinearDefault, initLinearNormal } from '../nn/init.js';
import { type RngStream } from '../rng.js';
import { type AdversarialAutoencoder } from './autoencoder.js';
import { ClusteringAAE } from './clustering.js';
import { type AaeConfig } from './config.js';
import { DimredAAE } from './dimred.js';
import { SemiSupervisedAAE } from './semisupervised.js';
import { SupervisedAAE } from './supervised.js';
import { UnsupervisedAAE } from './unsupervised.js';

export function createModel(be: Backend, config: AaeConfig, rng: RngStream): AdversarialAutoencoder {
  const model = construct(be, config);
  for (const layer of model.linears()) {
    if (config.initStd !== undefined) initLinearNormal(be, layer, rng, config.initStd);
    else initLinearDefault(be, layer, rng);
  }
  if (model instanceof DimredAAE) model.initHeads(rng);
  return model;
}

function construct(be: Backend, config: AaeConfig): AdversarialAutoencoder {
  switch (config.kind) {
    case 'semi':
      return new SemiSupervisedAAE(be, config);
    case 'cluster':
      return new ClusteringAAE(be, config);
    case 'unsupervised':
      return new UnsupervisedAAE(be, config);
    case 'supervised':
      return new SupervisedAAE(be, config);
    case 'dimred':
      return new DimredAAE(be, config);
  }
}
