// The paper's label-conditioned regularisation (Sec. 2.3, Fig. 4) in the unsupervised model: the prior draws each
// labeled code from its class's component; D_gauss sees [z, one-hot label] on both sides; the generator phase's
// gradient reaches Q only through z and matches finite differences; reference and Wasm agree over 10 iterations.
import t from 'tap';
import { type Backend, type Tensor } from '../../ts/backend/backend.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { type AaeConfig, defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { MixturePrior } from '../../ts/models/priors.js';
import { type UnsupervisedAAE } from '../../ts/models/unsupervised.js';
import { RngStream } from '../../ts/rng.js';
import { firstMismatch, randomArray } from '../helpers/data.js';
import { centralDifferences } from '../helpers/finite-diff.js';

const B = 8;
const config = (settings: Partial<AaeConfig> = {}): AaeConfig => ({
  ...defaultConfig('unsupervised'),
  batch: B, inFeatures: 6, hidden: 5, prior: { name: 'mixture', dim: 2 }, conditionalPrior: { classes: 3 }, ...settings,
});

/** Labels of the batch (-1: unlabeled) and their one-hot conditions, (B, classes + 1). */
function conditions(be: Backend, classes: number): { labels: Int32Array; condition: Tensor } {
  const labels = Int32Array.from({ length: B }, (_, i) => (i % 3 === 2 ? -1 : i % classes));
  const host = new Float32Array(B * (classes + 1));
  labels.forEach((l, r) => (host[r * (classes + 1) + (l >= 0 ? l : classes)] = 1));
  return { labels, condition: be.tensor([B, classes + 1], host) };
}

t.test('the mixture prior draws a labeled row from its component and an unlabeled row from any', async (t) => {
  const be = new ReferenceBackend();
  const prior = new MixturePrior();
  const rows = 2000;
  const out = be.tensor([rows, 2]);
  const labels = Int32Array.from({ length: rows }, (_, i) => (i < 1000 ? 3 : -1));
  prior.sample(be, out, new RngStream(1), labels);
  const xy = be.download(out);
  const angle = (i: number) => (Math.atan2(xy[2 * i + 1]!, xy[2 * i]!) + 2 * Math.PI) % (2 * Math.PI);
  const component = (i: number) => Math.round(angle(i) / ((2 * Math.PI) / 10)) % 10;
  const labeled = Array.from({ length: 1000 }, (_, i) => component(i));
  // Component 3 is N((1.4, 0), diag(0.5, 0.05)) rotated by 108 degrees: its wide radial spread puts some draws
  // nearer the origin, where the nearest angle may be another component's, so the test is its mean and a majority.
  t.ok(labeled.filter((k) => k === 3).length > 800, `labeled rows: ${labeled.filter((k) => k === 3).length} of 1000 nearest component 3`);
  const mean = [0, 1].map((d) => Array.from({ length: 1000 }, (_, i) => xy[2 * i + d]!).reduce((a, b) => a + b) / 1000);
  const a3 = (2 * Math.PI * 3) / 10;
  t.ok(Math.hypot(mean[0]! - 1.4 * Math.cos(a3), mean[1]! - 1.4 * Math.sin(a3)) < 0.1, `labeled rows' mean (${mean.map((m) => m.toFixed(2))}) is component 3's`);
  const seen = new Set(Array.from({ length: 1000 }, (_, i) => component(1000 + i)));
  t.equal(seen.size, 10, 'unlabeled rows cover all 10 components');
});

t.test("the conditioned generator phase's gradient matches finite differences; D gets no gradient", async (t) => {
  const be = new ReferenceBackend();
  const model = createModel(be, config(), new RngStream(3)) as UnsupervisedAAE;
  t.equal(model.D_gauss.net.inFeatures, 2 + 4, 'D_gauss reads [z, 4 condition slots]');
  const x = be.tensor([B, 6]);
  be.randomUniform(x, { seed: 4, offset: 0 });
  const { condition } = conditions(be, 3);
  const params = model.Q.parameters();
  const run = () => model.generatorGradients(x, new RngStream(5), condition);
  run();
  const analytic = params.map((p) => be.read64(p.grad));
  params.forEach((p, k) => {
    const numeric = centralDifferences(be, p.value, () => {
      run();
      return be.read64(model.D_gauss.generatorLoss)[0]!;
    });
    t.equal(firstMismatch(analytic[k]!, numeric, 1e-7, 1e-4), null, `d g_gauss / d ${p.name}`);
  });
});

t.test('10 conditioned iterations agree between the reference and Wasm', async (t) => {
  const train = (be: Backend) => {
    const c = config({ inFeatures: 64, hidden: 48, batch: B });
    const model = createModel(be, c, new RngStream(11));
    const rng = new RngStream(11, 2 ** 32);
    const x = be.tensor([B, 64], randomArray(B * 64, 1, 0, 1));
    const { labels, condition } = conditions(be, 3);
    const losses: number[][] = [];
    for (let i = 0; i < 10; i++) {
      model.step({ x, condition, priorLabels: labels }, rng);
      losses.push(Object.values(model.losses()));
    }
    return losses;
  };
  const want = train(new ReferenceBackend());
  const wasm = await WasmBackend.create({ threads: 2 });
  t.teardown(() => wasm.dispose());
  const got = train(wasm);
  got.forEach((l, i) => t.equal(firstMismatch(l, want[i]!, 1e-4, 1e-3), null, `iteration ${i + 1}: recon, d_gauss, g_gauss`));
});

t.test('without the batch condition the conditioned model says what is missing', async (t) => {
  const be = new ReferenceBackend();
  const model = createModel(be, config(), new RngStream(3));
  t.throws(() => model.step({ x: be.tensor([B, 6]) }, new RngStream(1)), { message: /conditional prior needs the batch's condition/ });
});
