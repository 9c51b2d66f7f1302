// Central differences on the float64 reference backend: the numeric gradient every analytic one is checked against.
import { type Tensor } from '../../ts/backend/backend.js';
import { type ReferenceBackend } from '../../ts/backend/reference.js';

/** d f / d x for every element of x: (f(x + h e_i) - f(x - h e_i)) / 2h, x restored after each. */
export function centralDifferences(be: ReferenceBackend, x: Tensor, f: () => number, h = 1e-6): Float64Array {
  const values = be.read64(x);
  const g = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    values[i] = v + h;
    be.write64(x, values);
    const up = f();
    values[i] = v - h;
    be.write64(x, values);
    const down = f();
    values[i] = v;
    be.write64(x, values);
    g[i] = (up - down) / (2 * h);
  }
  return g;
}
