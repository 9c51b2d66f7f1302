// Virtual adversarial training (models/consistency.ts) on the float64 reference: the gradient it adds to Q equals
// finite differences of weight * KL(p || q(y|x + r_adv)) + entropyWeight * H(q(y|x)) - marginalWeight * H(mean q(y|x))
// with p and r_adv held at the
// values of the call, r_adv has radius eps per image, and it raises the KL more than a random direction of the same
// radius (what the power iteration is for).
import t from 'tap';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { type Tensor } from '../../ts/backend/backend.js';
import { VirtualAdversarial } from '../../ts/models/consistency.js';
import { Encoder } from '../../ts/models/encoder.js';
import { RngStream } from '../../ts/rng.js';
import { firstMismatch } from '../helpers/data.js';
import { centralDifferences } from '../helpers/finite-diff.js';

const be = new ReferenceBackend();
const [B, IN, C] = [4, 9, 3];

function setup(options: { eps: number; weight: number; entropyWeight: number; marginalWeight?: number }) {
  const Q = new Encoder(be, { inFeatures: IN, zDim: 2, classes: C, shape: { hidden: 7, depth: 2, dropout: 0.25 }, batch: B });
  const init = new RngStream(1);
  for (const p of Q.parameters()) be.randomNormal(p.value, { ...init.take(p.value.size), std: 0.8 });
  const x = be.tensor([B, IN]);
  be.randomUniform(x, init.take(B * IN));
  const vat = new VirtualAdversarial(be, Q, { ...options, xi: 1e-3, batch: B, inFeatures: IN, classes: C });
  return { Q, x, vat };
}

const value = (x: Tensor) => be.read64(x)[0]!;

for (const marginalWeight of [0, 0.6]) t.test(`the gradient added to Q matches finite differences of the loss at the call's p and r_adv (marginal weight ${marginalWeight})`, async (t) => {
  const options = { eps: 0.7, weight: 1.3, entropyWeight: 0.4, marginalWeight };
  const { Q, x, vat } = setup(options);
  const params = Q.classifierParameters();
  for (const p of Q.parameters()) be.fill(p.grad, 0);
  vat.accumulateGradients(x, new RngStream(2));
  const analytic = params.map((p) => be.read64(p.grad));
  const p = be.tensor([B, C], be.download(vat.target));
  const xAdv = be.tensor([B, IN]);
  be.axpby(x, vat.perturbation, xAdv, { alpha: 1, beta: 1 });
  const ce = be.tensor([1]);
  const hp = be.tensor([1]);
  const hq = be.tensor([1]);
  const hy = be.tensor([1]);
  const rng = new RngStream(9);
  Q.forward(x, false, rng);
  be.entropy(Q.logits!, hp);
  const loss = () => {
    Q.forward(xAdv, false, rng);
    be.crossEntropy(Q.logits!, p, ce);
    Q.forward(x, false, rng);
    be.entropy(Q.logits!, hq);
    be.marginalEntropy(Q.logits!, hy);
    return options.weight * (value(ce) - value(hp)) + options.entropyWeight * value(hq) - marginalWeight * value(hy);
  };
  params.forEach((param, k) => {
    const numeric = centralDifferences(be, param.value, loss);
    t.equal(firstMismatch(analytic[k]!, numeric, 1e-7, 1e-4), null, `d loss / d ${param.name}`);
  });
  t.same(be.read64(Q.zHead.weight.grad), new Float64Array(Q.zHead.weight.grad.size), 'the style head gets no gradient');
});

t.test('r_adv has radius eps per image and raises the KL more than random directions of that radius', async (t) => {
  const eps = 0.5;
  const { Q, x, vat } = setup({ eps, weight: 1, entropyWeight: 0 });
  vat.accumulateGradients(x, new RngStream(3));
  const r = be.read64(vat.perturbation);
  for (let i = 0; i < B; i++) {
    const norm = Math.sqrt(r.subarray(i * IN, (i + 1) * IN).reduce((s, v) => s + v * v, 0));
    t.ok(Math.abs(norm - eps) < 1e-9, `image ${i}: |r_adv| = ${norm}`);
  }
  const klAdv = value(vat.loss);
  t.ok(klAdv > 0, `KL at r_adv ${klAdv} > 0`);
  const ce = be.tensor([1]);
  const hp = be.tensor([1]);
  const xr = be.tensor([B, IN]);
  const rnd = be.tensor([B, IN]);
  const rng = new RngStream(4);
  Q.forward(x, false, rng);
  be.entropy(Q.logits!, hp);
  for (let k = 0; k < 5; k++) {
    be.randomNormal(rnd, rng.take(B * IN));
    be.l2NormalizeRows(rnd, rnd, { scale: eps });
    be.axpby(x, rnd, xr, { alpha: 1, beta: 1 });
    Q.forward(xr, false, rng);
    be.crossEntropy(Q.logits!, vat.target, ce);
    const klRandom = value(ce) - value(hp);
    t.ok(klAdv > klRandom, `random direction ${k}: KL ${klRandom.toExponential(3)} < ${klAdv.toExponential(3)}`);
  }
});

t.test('with a radius per image (options.neighbour), r_adv has radius eps * radius_i; without the radii it throws', async (t) => {
  const eps = 0.25;
  const { x, vat } = setup({ eps, weight: 1, entropyWeight: 0 });
  const radius = be.tensor([B, 1], Float32Array.from([1, 2.5, 0.5, 4]));
  vat.accumulateGradients(x, new RngStream(3), radius);
  const r = be.read64(vat.perturbation);
  for (let i = 0; i < B; i++) {
    const norm = Math.sqrt(r.subarray(i * IN, (i + 1) * IN).reduce((s, v) => s + v * v, 0));
    t.ok(Math.abs(norm - eps * be.read64(radius)[i]!) < 1e-9, `image ${i}: |r_adv| = ${norm}`);
  }
  const adaptive = setup({ eps, weight: 1, entropyWeight: 0 });
  const needing = new VirtualAdversarial(be, adaptive.Q, { eps, xi: 1e-3, weight: 1, entropyWeight: 0, neighbour: 10, batch: B, inFeatures: IN, classes: C });
  t.throws(() => needing.accumulateGradients(adaptive.x, new RngStream(3)), { message: "VirtualAdversarial: options.neighbour needs each image's radius (StepBatch.vatRadius)" });
});

t.test("Q's input gradient (paramGrads: false) matches finite differences and leaves the parameter gradients alone", async (t) => {
  const { Q, x } = setup({ eps: 1, weight: 1, entropyWeight: 0 });
  const w = be.tensor([B, C]);
  be.randomNormal(w, { seed: 5, offset: 0 });
  const rng = new RngStream(6);
  const loss = () => {
    Q.forward(x, false, rng);
    return be.read64(Q.logits!).reduce((s, v, i) => s + v * be.read64(w)[i]!, 0);
  };
  for (const p of Q.parameters()) be.fill(p.grad, 0);
  loss();
  be.copy(w, Q.dLogits!);
  const dx = be.tensor([B, IN]);
  Q.backward({ logits: true, paramGrads: false, dx });
  const numeric = centralDifferences(be, x, loss);
  t.equal(firstMismatch(be.read64(dx), numeric, 1e-7, 1e-5), null, 'd sum(w * logits) / d x');
  for (const p of Q.parameters()) t.same(be.read64(p.grad), new Float64Array(p.grad.size), `${p.name}: untouched`);
});
