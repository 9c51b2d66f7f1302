// An optimiser allocates its state (Adam's moments, SGD's momentum buffers) at its first update or state() call, not
// when it is built: a model loaded to evaluate, sample or explore holds none. Allocated once, the state is kept.
import t from 'tap';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { type Backend } from '../../ts/backend/backend.js';
import { defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { type OptimizerConfig } from '../../ts/optim/optimizer.js';
import { RngStream } from '../../ts/rng.js';

/** A reference backend that counts the elements of the tensors it allocates. */
function countingBackend(): { be: Backend; allocated: () => number } {
  const be = new ReferenceBackend();
  let elements = 0;
  const tensor = be.tensor.bind(be);
  be.tensor = ((shape: readonly number[], data?: Float32Array) => {
    elements += shape.reduce((a, b) => a * b, 1);
    return data === undefined ? tensor(shape) : tensor(shape, data);
  }) as Backend['tensor'];
  return { be, allocated: () => elements };
}

const optimizers: [string, OptimizerConfig, number][] = [
  ['Adam', { name: 'adam' }, 2],
  ['SGD with momentum', { name: 'sgd', momentum: 0.9 }, 1],
];
for (const [label, optimizer, perParam] of optimizers) {
  t.test(`${label}: a built model holds no optimiser state until it is asked for`, async (t) => {
    const { be, allocated } = countingBackend();
    const model = createModel(be, { ...defaultConfig('semi'), hidden: 16, optimizer }, new RngStream(1));
    const built = allocated();
    const stateElements = model.optimizers().reduce((n, o) => n + perParam * o.params.reduce((m, p) => m + p.value.size, 0), 0);
    const first = model.optimizers().map((o) => o.state());
    t.equal(allocated() - built, stateElements, 'state() allocates every state tensor');
    t.same(first.map((s) => Object.keys(s)), model.optimizers().map(() => (perParam === 2 ? ['exp_avg', 'exp_avg_sq'] : ['momentum_buffer'])));
    const again = model.optimizers().map((o) => o.state());
    t.ok(again.every((s, i) => Object.entries(s).every(([k, list]) => list.every((x, j) => x === first[i]![k]![j]))), 'the same tensors the second time');
    for (const o of model.optimizers()) o.update();
    t.equal(allocated() - built, stateElements, 'updates allocate nothing more');
  });
}
