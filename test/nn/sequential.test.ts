// Sequential's backward through dropout on the float64 reference: the fused relu + dropout pass and the general
// path (dropout after a sigmoid layer) against central differences, and dropout's gradient after an
// evaluation-mode forward (the identity, as in PyTorch).
import t from 'tap';
import { type Activation } from '../../ts/backend/backend.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { Dropout } from '../../ts/nn/dropout.js';
import { Linear } from '../../ts/nn/linear.js';
import { Sequential } from '../../ts/nn/sequential.js';
import { RngStream } from '../../ts/rng.js';
import { firstMismatch, randomArray } from '../helpers/data.js';

const be = new ReferenceBackend();
const [B, IN, HID, OUT] = [6, 4, 9, 3];

function net(activation: Activation, p: number): Sequential {
  const layers = [
    new Linear(be, 'n', { name: 'lin1', inFeatures: IN, outFeatures: HID, activation }),
    new Dropout(be, p),
    new Linear(be, 'n', { name: 'lin2', inFeatures: HID, outFeatures: OUT }),
  ];
  const seq = new Sequential(be, IN, layers);
  seq.parameters().forEach((param, i) => be.upload(param.value, randomArray(param.value.size, 10 + i)));
  return seq;
}

const x = be.tensor([B, IN], randomArray(B * IN, 1));
const w = be.tensor([B, OUT], randomArray(B * OUT, 2)); // loss = sum(w * output)

/** loss and, after backward, every parameter's gradient and the input gradient; the same Philox stream each time. */
function lossOf(seq: Sequential, train: boolean, grads = false): { loss: number; grads: Float64Array[] } {
  const trace = seq.trace(B);
  const out = be.read64(seq.forward(trace, x, train, new RngStream(5)));
  const wv = be.read64(w);
  const loss = out.reduce((s, v, i) => s + v * wv[i]!, 0);
  if (!grads) return { loss, grads: [] };
  be.copy(w, trace.dOutput);
  const dx = be.tensor([B, IN]);
  seq.backward(trace, { dx });
  return { loss, grads: [...seq.parameters().map((param) => be.read64(param.grad)), be.read64(dx)] };
}

function numeric(seq: Sequential, train: boolean): Float64Array[] {
  const h = 1e-6;
  const targets = [...seq.parameters().map((param) => param.value), x];
  return targets.map((tensor) => {
    const values = be.read64(tensor);
    return Float64Array.from(values, (v, i) => {
      values[i] = v + h;
      be.write64(tensor, values);
      const up = lossOf(seq, train).loss;
      values[i] = v - h;
      be.write64(tensor, values);
      const down = lossOf(seq, train).loss;
      values[i] = v;
      be.write64(tensor, values);
      return (up - down) / (2 * h);
    });
  });
}

const names = ['lin1.weight', 'lin1.bias', 'lin2.weight', 'lin2.bias', 'input'];

for (const [activation, train] of [['relu', true], ['sigmoid', true], ['relu', false]] as [Activation, boolean][]) {
  t.test(`${activation} then dropout, ${train ? 'training' : 'evaluation'} forward: gradients match finite differences`, async (t) => {
    const seq = net(activation, 0.5);
    const analytic = lossOf(seq, train, true).grads;
    numeric(seq, train).forEach((num, k) => t.equal(firstMismatch(analytic[k]!, num, 1e-7, 1e-5), null, names[k]!));
  });
}

t.test('after an evaluation-mode forward, dropout passes the gradient through unchanged', async (t) => {
  const a = lossOf(net('relu', 0.5), true, true); // leaves masks in a training trace; the next trace is fresh
  const evalGrads = lossOf(net('relu', 0.5), false, true).grads;
  const plain = lossOf(net('relu', 0), true, true).grads;
  evalGrads.forEach((g, k) => t.same(Array.from(g), Array.from(plain[k]!), names[k]!));
  t.not(a.loss, lossOf(net('relu', 0), true).loss, 'dropout changes the training loss (the test sees it)');
});
