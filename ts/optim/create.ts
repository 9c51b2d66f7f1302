// createOptimizer: the one place that picks an optimiser class from a config (optimizer.ts holds only the contract,
// so adam.ts and sgd.ts import it without a cycle).
import { type Backend } from '../backend/backend.js';
import { type Parameter } from '../nn/parameter.js';
import { Adam } from './adam.js';
import { type Optimizer, type OptimizerConfig } from './optimizer.js';
import { SgdMomentum } from './sgd.js';

/** The optimiser of one training phase; `config` undefined means Adam (configs written before SGD existed). */
export function createOptimizer(be: Backend, name: string, params: Parameter[], lr: number, config: OptimizerConfig | undefined): Optimizer {
  if (config === undefined || config.name === 'adam') return new Adam(be, name, params, { lr, ...(config?.beta1 !== undefined ? { beta1: config.beta1 } : {}) });
  return new SgdMomentum(be, name, params, { lr, momentum: config.momentum });
}
