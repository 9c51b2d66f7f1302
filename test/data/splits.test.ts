import t from 'tap';
import { loadMnist } from '../../ts/data/mnist.js';
import { BatchOrder, onehot } from '../../ts/data/loader.js';
import { balancedSplit, fducauSplit } from '../../ts/data/splits.js';

const { train } = loadMnist();
const labels = train.labels!;
const perClass = (idx: Int32Array) => {
  const c = new Array(10).fill(0);
  idx.forEach((i) => c[labels[i]!]++);
  return c;
};

t.test('balanced split: counts per class, disjoint validation, deterministic by seed', async (t) => {
  const s = balancedSplit({ labels, nLabeled: 100, nValidation: 10000, seed: 1 });
  t.same(perClass(s.labeled), new Array(10).fill(10), '10 labeled per digit');
  t.same(perClass(s.validation), new Array(10).fill(1000), '1000 validation per digit');
  t.equal(s.unlabeled.length, 50000);
  const val = new Set(s.validation);
  t.ok(s.unlabeled.every((i) => !val.has(i)), 'validation is held out of the unlabeled set');
  t.ok(s.labeled.every((i) => !val.has(i)), 'labeled examples are not validation examples');
  t.same(balancedSplit({ labels, nLabeled: 100, nValidation: 10000, seed: 1 }), s, 'same seed, same split');
  t.not(balancedSplit({ labels, nLabeled: 100, nValidation: 10000, seed: 2 }).labeled.join(), s.labeled.join(), 'another seed, another split');
  t.throws(() => balancedSplit({ labels, nLabeled: 105, nValidation: 0, seed: 1 }), { message: '--labels must be a non-negative multiple of 10 (balanced across classes), got 105' });
  t.throws(() => balancedSplit({ labels, nLabeled: 60000, nValidation: 0, seed: 1 }), { message: /class 0 has 5923 training images, fewer than the 6000 labeled/ });
});

t.test('fducau split: the reference code protocol', async (t) => {
  const s = fducauSplit(labels);
  t.same([s.labeled.length, s.validation.length, s.unlabeled.length], [3000, 10000, 47000]);
  t.same(perClass(s.labeled), new Array(10).fill(300));
  t.same(perClass(s.validation), new Array(10).fill(1000));
  t.equal(new Set([...s.labeled, ...s.validation, ...s.unlabeled]).size, 60000, 'a partition of the training set');
});

t.test('batch orders: a seeded permutation per epoch, cycling small sets', async (t) => {
  const indices = Int32Array.from({ length: 1000 }, (_, i) => i * 3);
  const order = new BatchOrder({ indices, batchSize: 100, seed: 4, stream: 1 });
  t.equal(order.batchesPerEpoch, 10);
  const e0 = [...order.epochOrder(0)];
  t.same([...e0].sort((a, b) => a - b), [...indices], 'a permutation of the set');
  t.not(e0.join(), [...order.epochOrder(1)].join(), 'each epoch has its own order');
  t.same([...new BatchOrder({ indices, batchSize: 100, seed: 4, stream: 1 }).epochOrder(0)], e0, 'deterministic');
  const seen = new Set<number>();
  const out = new Float32Array(100);
  for (let i = 0; i < 10; i++) {
    order.batch(0, i, out);
    out.forEach((v) => seen.add(v));
  }
  t.equal(seen.size, 1000, 'the batches of an epoch cover the set once');
  const small = new BatchOrder({ indices: Int32Array.of(7, 8, 9), batchSize: 5, seed: 1, stream: 2 });
  small.batch(0, 0, out.subarray(0, 5));
  t.same(new Set(out.subarray(0, 5)), new Set([7, 8, 9]), 'a set smaller than a batch is cycled');
  t.same([...onehot(Uint8Array.of(2, 0), 3)], [0, 0, 1, 1, 0, 0]);
});
