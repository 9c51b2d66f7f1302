// Adam with a non-default beta1 (--adam-beta1) against torch.optim.Adam's update written out in float64 on the
// host, on the reference and the Wasm backend; and the models hand the configured beta1 to every phase's Adam.
import t, { type Test } from 'tap';
import { type Backend } from '../../ts/backend/backend.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { Parameter } from '../../ts/nn/parameter.js';
import { Adam } from '../../ts/optim/adam.js';
import { RngStream } from '../../ts/rng.js';
import { firstMismatch, randomArray } from '../helpers/data.js';

/** torch.optim.Adam (no weight decay): m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr m^ / (sqrt(v^) + eps). */
function torchAdam(p0: Float64Array, grads: Float64Array[], o: { lr: number; beta1: number; beta2: number; eps: number }): Float64Array {
  const p = Float64Array.from(p0);
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  grads.forEach((g, k) => {
    const step = k + 1;
    for (let i = 0; i < p.length; i++) {
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! * g[i]!;
      const mHat = m[i]! / (1 - o.beta1 ** step);
      const vHat = v[i]! / (1 - o.beta2 ** step);
      p[i] = p[i]! - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
    }
  });
  return p;
}

async function check(t: Pick<Test, 'equal'>, be: Backend, label: string, tol: number) {
  const p0 = randomArray(91, 1);
  const grads = [2, 3, 4, 5].map((s) => randomArray(91, s));
  const param = new Parameter('w', be.tensor([7, 13], p0), be.tensor([7, 13]));
  const opt = new Adam(be, 'Q_encoder', [param], { lr: 0.01, beta1: 0.5 });
  for (const g of grads) {
    be.upload(param.grad, g);
    opt.update();
  }
  const want = torchAdam(Float64Array.from(p0), grads.map((g) => Float64Array.from(g)), { lr: 0.01, beta1: 0.5, beta2: 0.999, eps: 1e-8 });
  const got = be instanceof ReferenceBackend ? be.read64(param.value) : be.download(param.value);
  t.equal(firstMismatch(got, want, tol, tol), null, `${label}: 4 steps with beta1 0.5 match torch.optim.Adam`);
  const default09 = torchAdam(Float64Array.from(p0), grads.map((g) => Float64Array.from(g)), { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  t.equal(firstMismatch(got, default09, tol, tol) !== null, true, `${label}: and differ from beta1 0.9`);
}
t.test('Adam with beta1 0.5 matches torch.optim.Adam on the reference backend', async (t) => {
  await check(t, new ReferenceBackend(), 'reference', 1e-12);
});

t.test('Adam with beta1 0.5 matches torch.optim.Adam on the Wasm backend', async (t) => {
  const be = await WasmBackend.create({ threads: 1 });
  t.teardown(() => be.dispose());
  await check(t, be, 'wasm', 1e-5);
});

t.test("every phase's Adam gets the configured beta1", async (t) => {
  const be = new ReferenceBackend();
  const c = defaultConfig('semi');
  const tiny = { ...c, batch: 2, inFeatures: 4, hidden: 3 };
  const tuned = createModel(be, { ...tiny, optimizer: { name: 'adam', beta1: 0.5 } }, new RngStream(1));
  t.same(tuned.optimizers().map((o) => (o as Adam).beta1), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  const plain = createModel(be, { ...tiny, optimizer: { name: 'adam' } }, new RngStream(1));
  t.same(plain.optimizers().map((o) => (o as Adam).beta1), [0.9, 0.9, 0.9, 0.9, 0.9, 0.9]);
});
