// SGD with momentum against PyTorch's update written out in float64 on the host, on the reference and the Wasm
// backend; the stepped schedule; and input noise (x + N(0, s^2) reaching Q, the clean x as the target).
import t from 'tap';
import { type Backend, type Tensor } from '../../ts/backend/backend.js';
import { defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { RngStream } from '../../ts/rng.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { Parameter } from '../../ts/nn/parameter.js';
import { SgdMomentum } from '../../ts/optim/sgd.js';
import { applySchedule, scheduleProblem, scheduledLr } from '../../ts/optim/schedule.js';
import { firstMismatch, randomArray } from '../helpers/data.js';

type Test = Pick<typeof t, 'equal'>;

/** torch.optim.SGD(momentum, weight_decay), dampening 0: buf = m buf + (g + wd p); p -= lr buf (buf = g + wd p at step 1). */
function torchSgd(p: Float64Array, grads: Float64Array[], o: { lr: number[]; momentum: number; weightDecay: number }): Float64Array {
  const out = Float64Array.from(p);
  const buf = new Float64Array(p.length);
  grads.forEach((g, step) => {
    for (let i = 0; i < p.length; i++) {
      const d = g[i]! + o.weightDecay * out[i]!;
      buf[i] = step === 0 ? d : o.momentum * buf[i]! + d;
      out[i] = out[i]! - o.lr[step]! * buf[i]!;
    }
  });
  return out;
}

async function check(t: Test, be: Backend, label: string, tol: number) {
  for (const weightDecay of [0, 1e-2]) {
    const shape = [7, 13];
    const p0 = randomArray(91, 1);
    const grads = [2, 3, 4, 5].map((s) => randomArray(91, s));
    const param = new Parameter('w', be.tensor(shape, p0), be.tensor(shape));
    const opt = new SgdMomentum(be, 'sgd', [param], { lr: 0.1, momentum: 0.9, weightDecay });
    const lrs = [0.1, 0.1, 0.01, 0.01];
    grads.forEach((g, i) => {
      opt.lr = lrs[i]!;
      be.upload(param.grad, g);
      opt.update();
    });
    const want = torchSgd(Float64Array.from(p0), grads.map((g) => Float64Array.from(g)), { lr: lrs, momentum: 0.9, weightDecay });
    const got = be instanceof ReferenceBackend ? be.read64(param.value) : be.download(param.value);
    t.equal(firstMismatch(got, want, tol, tol), null, `${label}, weight decay ${weightDecay}: 4 steps match torch.optim.SGD`);
    t.equal(opt.step, 4);
  }
}

t.test('SGD momentum matches torch.optim.SGD on the reference backend', async (t) => {
  await check(t, new ReferenceBackend(), 'reference', 1e-12);
});

t.test('SGD momentum matches torch.optim.SGD on the Wasm backend', async (t) => {
  const be = await WasmBackend.create({ threads: 2 });
  t.teardown(() => be.dispose());
  await check(t, be, 'wasm', 1e-5);
});

t.test('bad SGD settings are one clear error', async (t) => {
  const be = new ReferenceBackend();
  const param = new Parameter('w', be.tensor([2]), be.tensor([2]));
  t.throws(() => new SgdMomentum(be, 'Q_encoder', [param], { lr: 0, momentum: 0.9 }), { message: 'optimizer Q_encoder: learning rate must be > 0, got 0' });
  t.throws(() => new SgdMomentum(be, 'Q_encoder', [param], { lr: 0.1, momentum: 1 }), { message: 'optimizer Q_encoder: momentum must be in [0, 1), got 1' });
});

t.test('the stepped schedule multiplies the base rate by gamma at each milestone reached', async (t) => {
  const s = { milestones: [50, 1000], gamma: 0.1 };
  t.same([0, 49, 50, 999, 1000, 5000].map((e) => scheduledLr(0.1, s, e)), [0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1]);
  t.equal(scheduledLr(0.3, undefined, 700), 0.3, 'no schedule: constant');
  const opts = [{ lr: 1, baseLr: 0.5 }, { lr: 1, baseLr: 0.02 }] as unknown as Parameters<typeof applySchedule>[0];
  applySchedule(opts, s, 60);
  t.same(opts.map((o) => o.lr), [0.5 * 0.1, 0.02 * 0.1]);
  t.equal(scheduleProblem(s), undefined);
  t.equal(scheduleProblem({ milestones: [50, 50], gamma: 0.1 }), 'milestones must be strictly ascending, got 50,50');
  t.equal(scheduleProblem({ milestones: [0.5], gamma: 0.1 }), 'milestones must be positive integers (epochs), got 0.5');
  t.equal(scheduleProblem({ milestones: [5], gamma: 2 }), 'gamma must be in (0, 1], got 2');
});

t.test('input noise: Q sees x + N(0, s^2), the reconstruction target stays the clean x', async (t) => {
  const be = new ReferenceBackend();
  const c = defaultConfig('unsupervised');
  const model = createModel(be, { ...c, batch: 50, inFeatures: 40, hidden: 8, inputNoise: 0.5 }, new RngStream(1));
  const x = be.tensor([50, 40]);
  be.randomUniform(x, new RngStream(2).take(2000));
  model.reconstructionGradients(x, new RngStream(3));
  const seen = model.Q.trace.input as Tensor;
  t.not(seen, x, 'Q reads a separate noisy buffer');
  const xs = be.download(x);
  const noise = be.download(seen).map((v, i) => v - xs[i]!);
  const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
  const std = Math.sqrt(noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length);
  t.ok(Math.abs(mean) < 0.05 && Math.abs(std - 0.5) < 0.03, `noise mean ${mean.toFixed(3)}, std ${std.toFixed(3)} (want 0, 0.5)`);
  const clean = be.tensor([1]);
  be.bceWithSigmoid(model.pTrace.output, x, clean);
  t.equal(be.download(model.reconLoss)[0], be.download(clean)[0], 'the loss is against the clean images');
  const quiet = createModel(be, { ...c, batch: 50, inFeatures: 40, hidden: 8 }, new RngStream(1));
  quiet.reconstructionGradients(x, new RngStream(3));
  t.equal(quiet.Q.trace.input, x, 'without noise Q reads x itself');
});
