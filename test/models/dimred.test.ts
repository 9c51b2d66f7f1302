// The dimensionality-reduction model's own pieces: the cluster-head cost against finite differences in float64,
// the model adding that cost's gradient to W_c, and the representation r = W_c y + z P decodes.
import t from 'tap';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { clusterHeadCost } from '../../ts/backend/cluster-heads.js';
import { DimredAAE } from '../../ts/models/dimred.js';
import { RngStream } from '../../ts/rng.js';
import { firstMismatch } from '../helpers/data.js';

t.test('the cluster-head cost and its gradient match finite differences', async (t) => {
  // d = 2, n = 4 heads: pairs both inside and outside eta = 1.5.
  const w = Float64Array.of(0, 1, 0.2, 3, /* row 2 */ 0, 0.3, 1.1, -2);
  const o = { d: 2, n: 4, eta: 1.5 };
  const { cost, grad } = clusterHeadCost(w, o);
  let want = 0;
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) want += Math.max(0, 1.5 - Math.hypot(w[i]! - w[j]!, w[4 + i]! - w[4 + j]!));
  t.equal(cost, want, 'cost = sum of relu(eta - distance) over pairs');
  t.ok(cost > 0 && cost < 6 * 1.5, 'some pairs in reach, some not');
  const h = 1e-6;
  const numeric = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const up = Float64Array.from(w);
    const down = Float64Array.from(w);
    up[i]! += h;
    down[i]! -= h;
    numeric[i] = (clusterHeadCost(up, o).cost - clusterHeadCost(down, o).cost) / (2 * h);
  }
  t.equal(firstMismatch(grad, numeric, 1e-7, 1e-5), null, 'gradient');
  t.same(clusterHeadCost(Float64Array.of(0, 1, 0, 1), { d: 2, n: 2, eta: 0.5 }), { cost: 0, grad: new Float64Array(4) }, 'heads farther than eta cost nothing');
});

t.test('the model adds weight x the head-cost gradient to W_c and decodes r = W_c y + z', async (t) => {
  const be = new ReferenceBackend();
  const base = defaultConfig('dimred');
  const config = (weight: number) => ({ ...base, batch: 4, inFeatures: 6, hidden: 5, classes: 3, dimred: { ...base.dimred!, weight } });
  const x = be.tensor([4, 6]);
  be.randomUniform(x, new RngStream(4).take(24));
  const grads = [0, 2].map((weight) => {
    const m = createModel(be, config(weight), new RngStream(3)) as DimredAAE;
    m.reconstructionGradients(x, new RngStream(5));
    return { m, g: be.read64(m.heads.grad) };
  });
  const [{ g: g0 }, { m, g: g2 }] = grads as [{ g: Float64Array }, { m: DimredAAE; g: Float64Array }];
  const { cost, grad } = clusterHeadCost(be.download(m.heads.value), { d: 2, n: 3, eta: base.dimred!.eta });
  t.ok(cost > 0, 'the heads start within reach of each other');
  t.equal(firstMismatch(g2.map((v, i) => v - g0[i]!), grad.map((v) => 2 * v), 1e-6, 1e-5), null, 'W_c gets weight x the cost gradient on top');
  t.ok(Math.abs(be.read64(m.headCost)[0]! - 2 * cost) < 1e-5, 'the logged head cost is weight x cost');

  m.encode(x, new RngStream(0));
  const y = be.read64(m.Q.y!);
  const z = be.read64(m.Q.z);
  const wc = be.read64(m.heads.value);
  const r = new Float64Array(8);
  for (let b = 0; b < 4; b++) for (let k = 0; k < 2; k++) {
    r[b * 2 + k] = z[b * 2 + k]!;
    for (let c = 0; c < 3; c++) r[b * 2 + k]! += wc[k * 3 + c]! * y[b * 3 + c]!;
  }
  t.equal(firstMismatch(be.read64(m.decoderCode), r, 1e-12, 1e-12), null, 'representation = W_c y + z');
  t.equal(m.yDim, 0, 'P decodes the 2-D representation alone');
});
