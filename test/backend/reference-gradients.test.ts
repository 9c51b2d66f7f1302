// Finite-difference checks (float64, central differences) of every op with a backward on the reference backend.
import t, { type Test } from 'tap';
import { type Activation, type Tensor } from '../../ts/backend/backend.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { firstMismatch, randomArray } from '../helpers/data.js';
import { centralDifferences } from '../helpers/finite-diff.js';

const be = new ReferenceBackend();
const H = 1e-6;

/** Central-difference gradient of scalar f with respect to every element of x. */
const numericGrad = (x: Tensor, f: () => number): Float64Array => centralDifferences(be, x, f, H);

const scalar = (t: Tensor) => be.read64(t)[0]!;

function check(tt: Test, name: string, analytic: Float64Array, numeric: Float64Array): void {
  const bad = firstMismatch(analytic, numeric, 1e-7, 1e-5);
  tt.equal(bad, null, `${name}: analytic gradient matches finite differences`);
}

t.test('matmul: both backward GEMMs and the bias gradient, every transpose and activation', async (t) => {
  const [M, K, N] = [3, 5, 4];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      for (const activation of ['none', 'relu', 'sigmoid'] as Activation[]) {
        const a = be.tensor(transA ? [K, M] : [M, K], randomArray(M * K, 1));
        const b = be.tensor(transB ? [N, K] : [K, N], randomArray(K * N, 2));
        const bias = be.tensor([N], randomArray(N, 3));
        const w = be.tensor([M, N], randomArray(M * N, 4)); // loss = sum(w * y)
        const y = be.tensor([M, N]);
        const prod = be.tensor([M, N]);
        const loss = be.tensor([1]);
        const forward = () => {
          be.matmul(a, b, y, { transA, transB, bias, activation });
          be.axpby(y, w, prod, { alpha: 1, beta: 0 });
          be.dropoutBackward(prod, w, prod); // prod = y * w
          be.sum(prod, loss);
          return scalar(loss);
        };
        forward();
        // Backward: dZ = w * act'(y); dA = dZ op(B)^T; dB = op(A)^T dZ; dbias = colsum(dZ).
        const dz = be.tensor([M, N]);
        be.activationBackward(y, w, dz, activation);
        const da = be.tensor(a.shape);
        const db = be.tensor(b.shape);
        const dbias = be.tensor([N]);
        if (transA) be.matmul(b, dz, da, { transA: transB, transB: true }); // dA^T (K,M) = op(B) dZ^T
        else be.matmul(dz, b, da, { transB: !transB }); // (M,K) = dZ op(B)^T
        if (transB) be.matmul(dz, a, db, { transA: true, transB: transA }); // dB^T (N,K) = dZ^T op(A)
        else be.matmul(a, dz, db, { transA: !transA }); // (K,N) = op(A)^T dZ
        be.biasGrad(dz, dbias);
        const tag = `transA=${transA} transB=${transB} ${activation}`;
        check(t, `${tag} dA`, be.read64(da), numericGrad(a, forward));
        check(t, `${tag} dB`, be.read64(db), numericGrad(b, forward));
        check(t, `${tag} dbias`, be.read64(dbias), numericGrad(bias, forward));
      }
    }
  }
});

t.test('dropout backward is the mask', async (t) => {
  const x = be.tensor([4, 7], randomArray(28, 5));
  const w = be.tensor([4, 7], randomArray(28, 6));
  const out = be.tensor([4, 7]);
  const mask = be.tensor([4, 7]);
  const loss = be.tensor([1]);
  const forward = () => {
    be.dropout(x, out, mask, { p: 0.3, seed: 9, offset: 0 });
    be.dropoutBackward(out, w, out);
    be.sum(out, loss);
    return scalar(loss);
  };
  forward();
  const dx = be.tensor([4, 7]);
  be.dropoutBackward(w, mask, dx);
  check(t, 'dropout dx', be.read64(dx), numericGrad(x, forward));
  const m = be.read64(mask);
  t.ok(m.some((v) => v === 0) && m.some((v) => v > 1), 'mask has dropped and scaled entries');
});

t.test('relu + dropout backward from the dropout output alone: finite differences, and the unfused path', async (t) => {
  const [M, K, N] = [5, 3, 9];
  const x = be.tensor([M, K], randomArray(M * K, 21));
  const wt = be.tensor([K, N], randomArray(K * N, 22));
  const bias = be.tensor([N], randomArray(N, 23));
  const w = be.tensor([M, N], randomArray(M * N, 24)); // loss = sum(w * dropout(relu(x W + b)))
  const [y, out, mask, prod, loss] = [be.tensor([M, N]), be.tensor([M, N]), be.tensor([M, N]), be.tensor([M, N]), be.tensor([1])];
  const forward = () => {
    be.matmul(x, wt, y, { bias, activation: 'relu' });
    be.dropout(y, out, mask, { p: 0.4, seed: 3, offset: 0 });
    be.dropoutBackward(out, w, prod); // prod = out * w
    be.sum(prod, loss);
    return scalar(loss);
  };
  forward();
  const [dz, dbias] = [be.tensor([M, N]), be.tensor([N], randomArray(N, 25))];
  be.reluDropoutBackward(out, w, dz, { p: 0.4, db: dbias });
  check(t, 'reluDropoutBackward db', be.read64(dbias), numericGrad(bias, forward));
  const unfused = be.tensor([M, N]);
  be.dropoutBackward(w, mask, unfused);
  be.activationBackward(y, unfused, unfused, 'relu');
  t.same(Array.from(be.read64(dz)), Array.from(be.read64(unfused)), 'dz equals dropoutBackward then the relu backward');
  const m = be.read64(mask);
  const yv = be.read64(y);
  t.ok(m.some((v, i) => v === 0 && yv[i]! > 0) && m.some((v, i) => v > 0 && yv[i]! === 0), 'the case has units dropped by the mask alone and by the relu alone');
  const before = be.read64(dbias);
  be.reluDropoutBackward(out, w, dz, { p: 0.4, db: dbias, accumulate: true });
  const twice = be.read64(dbias);
  const once = Array.from(twice, (v, j) => v - before[j]!);
  check(t, 'accumulate adds the column sums', Float64Array.from(once), before);
});

t.test('BCE on a sigmoid output: gradient with respect to the logits', async (t) => {
  const z = be.tensor([3, 6], randomArray(18, 7, -4, 4));
  const y = be.tensor([3, 6]);
  const target = be.tensor([3, 6], randomArray(18, 8, 0, 1));
  const zero = be.tensor([6]);
  const eye = be.tensor([6, 6], Float32Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 1 : 0)));
  const loss = be.tensor([1]);
  const grad = be.tensor([3, 6]);
  const forward = () => {
    be.matmul(z, eye, y, { bias: zero, activation: 'sigmoid' });
    be.bceWithSigmoid(y, target, loss);
    return scalar(loss);
  };
  forward();
  be.bceWithSigmoid(y, target, loss, grad);
  check(t, 'bce dLogits', be.read64(grad), numericGrad(z, forward));
});

t.test('cross-entropy on logits with soft and one-hot targets', async (t) => {
  for (const soft of [false, true]) {
    const z = be.tensor([4, 5], randomArray(20, 9, -3, 3));
    const target = be.tensor(
      [4, 5],
      soft ? randomArray(20, 10, 0, 0.4) : Float32Array.from({ length: 20 }, (_, i) => (i % 5 === (i / 5) % 5 ? 1 : 0)),
    );
    const loss = be.tensor([1]);
    const grad = be.tensor([4, 5]);
    const forward = () => {
      be.crossEntropy(z, target, loss);
      return scalar(loss);
    };
    be.crossEntropy(z, target, loss, grad);
    check(t, `cross-entropy dLogits (soft=${soft})`, be.read64(grad), numericGrad(z, forward));
  }
});

t.test('entropy of the row softmaxes: value and gradient with respect to the logits', async (t) => {
  const z = be.tensor([4, 5], randomArray(20, 11, -3, 3));
  const loss = be.tensor([1]);
  const grad = be.tensor([4, 5]);
  const forward = () => {
    be.entropy(z, loss);
    return scalar(loss);
  };
  be.entropy(z, loss, grad);
  check(t, 'entropy dLogits', be.read64(grad), numericGrad(z, forward));
  forward();
  const zv = be.read64(z);
  let direct = 0;
  for (let r = 0; r < 4; r++) {
    const row = Array.from(zv.subarray(r * 5, r * 5 + 5));
    const total = row.reduce((s, v) => s + Math.exp(v), 0);
    for (const v of row) direct -= (Math.exp(v) / total) * Math.log(Math.exp(v) / total);
  }
  t.ok(Math.abs(scalar(loss) - direct / 4) < 1e-12, `mean entropy ${scalar(loss)} equals the direct sum ${direct / 4}`);
  const uniform = be.tensor([2, 8]);
  be.entropy(uniform, loss);
  t.ok(Math.abs(scalar(loss) - Math.log(8)) < 1e-12, 'equal logits: log C');
});

t.test('entropy of the mean softmax (marginal entropy): value and gradient with respect to the logits', async (t) => {
  const z = be.tensor([6, 4], randomArray(24, 13, -3, 3));
  const loss = be.tensor([1]);
  const grad = be.tensor([6, 4]);
  const forward = () => {
    be.marginalEntropy(z, loss);
    return scalar(loss);
  };
  be.marginalEntropy(z, loss, grad);
  check(t, 'marginal entropy dLogits', be.read64(grad), numericGrad(z, forward));
  forward();
  const zv = be.read64(z);
  const mean = [0, 0, 0, 0];
  for (let r = 0; r < 6; r++) {
    const row = Array.from(zv.subarray(r * 4, r * 4 + 4));
    const total = row.reduce((s, v) => s + Math.exp(v), 0);
    row.forEach((v, c) => (mean[c] = mean[c]! + Math.exp(v) / total / 6));
  }
  const direct = -mean.reduce((s, m) => s + m * Math.log(m), 0);
  t.ok(Math.abs(scalar(loss) - direct) < 1e-12, `marginal entropy ${scalar(loss)} equals the direct sum ${direct}`);
  // Rows that are one-hot on different classes: the mean is uniform over them although each row's entropy is 0.
  const oneHot = be.tensor([3, 3], Float32Array.of(80, 0, 0, 0, 80, 0, 0, 0, 80));
  be.marginalEntropy(oneHot, loss);
  t.ok(Math.abs(scalar(loss) - Math.log(3)) < 1e-12, 'confident rows on distinct classes: log C');
  // A class no row gives any probability contributes nothing, to the value or the gradient.
  const empty = be.tensor([2, 3], Float32Array.of(0, 0, -1000, 0, 0, -1000));
  be.marginalEntropy(empty, loss, be.tensor([2, 3]));
  t.ok(Math.abs(scalar(loss) - Math.log(2)) < 1e-12, 'an empty class: the entropy of the others');
});

t.test('adversarial losses: gradients with respect to the discriminator logits', async (t) => {
  const zr = be.tensor([5, 1], randomArray(5, 11, -3, 3));
  const zf = be.tensor([5, 1], randomArray(5, 12, -3, 3));
  const one = be.tensor([1, 1], Float32Array.of(1));
  const zero = be.tensor([1]);
  const dr = be.tensor([5, 1]);
  const df = be.tensor([5, 1]);
  const loss = be.tensor([1]);
  const gr = be.tensor([5, 1]);
  const gf = be.tensor([5, 1]);
  const sig = () => {
    be.matmul(zr, one, dr, { bias: zero, activation: 'sigmoid' });
    be.matmul(zf, one, df, { bias: zero, activation: 'sigmoid' });
  };
  const dLoss = () => {
    sig();
    be.discriminatorLoss(dr, df, loss);
    return scalar(loss);
  };
  const gLoss = () => {
    sig();
    be.generatorLoss(df, loss);
    return scalar(loss);
  };
  sig();
  be.discriminatorLoss(dr, df, loss, gr, gf);
  check(t, 'discriminator gradReal', be.read64(gr), numericGrad(zr, dLoss));
  check(t, 'discriminator gradFake', be.read64(gf), numericGrad(zf, dLoss));
  sig();
  be.generatorLoss(df, loss, gf);
  check(t, 'generator gradFake', be.read64(gf), numericGrad(zf, gLoss));
});

t.test('activation backward from the saved output', async (t) => {
  for (const activation of ['none', 'relu', 'sigmoid'] as Activation[]) {
    const x = be.tensor([2, 9], randomArray(18, 13, -2, 2));
    const eye = be.tensor([9, 9], Float32Array.from({ length: 81 }, (_, i) => (i % 10 === 0 ? 1 : 0)));
    const w = be.tensor([2, 9], randomArray(18, 14));
    const y = be.tensor([2, 9]);
    const prod = be.tensor([2, 9]);
    const loss = be.tensor([1]);
    const forward = () => {
      be.matmul(x, eye, y, { activation });
      be.dropoutBackward(y, w, prod);
      be.sum(prod, loss);
      return scalar(loss);
    };
    forward();
    const dx = be.tensor([2, 9]);
    be.activationBackward(y, w, dx, activation);
    check(t, `${activation} backward`, be.read64(dx), numericGrad(x, forward));
  }
});

t.test('softmax backward from the saved output', async (t) => {
  const x = be.tensor([3, 5], randomArray(15, 15, -3, 3));
  const w = be.tensor([3, 5], randomArray(15, 16));
  const y = be.tensor([3, 5]);
  const prod = be.tensor([3, 5]);
  const loss = be.tensor([1]);
  const forward = () => {
    be.softmax(x, y);
    be.dropoutBackward(y, w, prod);
    be.sum(prod, loss);
    return scalar(loss);
  };
  forward();
  const dx = be.tensor([3, 5]);
  be.softmaxBackward(y, w, dx);
  check(t, 'softmax backward', be.read64(dx), numericGrad(x, forward));
});

t.test('Adam follows PyTorch: the first step moves each weight by lr against the gradient sign', async (t) => {
  const p = be.tensor([3], Float32Array.of(1, -2, 3));
  const g = be.tensor([3], Float32Array.of(0.5, -0.25, 0));
  const m = be.tensor([3]);
  const v = be.tensor([3]);
  be.adam({ params: [p], grads: [g], m: [m], v: [v] }, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1, weightDecay: 0 });
  const after = be.read64(p);
  const p1 = 1 - (0.1 * 0.5) / (0.5 + 1e-8);
  t.ok(Math.abs(after[0]! - 0.9) < 1e-6 && Math.abs(after[1]! - -1.9) < 1e-6 && after[2] === 3, `after one step: ${[...after]}`);
  // Second step with the same gradient, by the formulas of torch.optim.Adam written out by hand.
  be.adam({ params: [p], grads: [g], m: [m], v: [v] }, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 2, weightDecay: 0 });
  const m2 = 0.9 * 0.05 + 0.1 * 0.5;
  const v2 = 0.999 * 0.00025 + 0.001 * 0.25;
  const expected = p1 - ((0.1 / (1 - 0.81)) * m2) / (Math.sqrt(v2) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
  t.ok(Math.abs(be.read64(p)[0]! - expected) < 1e-12, `second step ${be.read64(p)[0]} vs ${expected}`);
});
