// A drawing to MNIST's format: the ink scaled into a 20-pixel box, centred by its centre of mass in 28 x 28.
import t from 'tap';
import { toImage, toMnist } from '../../ts/explore/page/preprocess.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

function centreOfMass(img: Float32Array): [number, number] {
  let m = 0, x = 0, y = 0;
  img.forEach((v, i) => {
    m += v;
    x += v * ((i % 28) + 0.5);
    y += v * (Math.floor(i / 28) + 0.5);
  });
  return [x / m, y / m];
}

function box(img: Float32Array): { w: number; h: number } {
  let x0 = 28, x1 = -1, y0 = 28, y1 = -1;
  img.forEach((v, i) => {
    if (v <= 0) return;
    x0 = Math.min(x0, i % 28);
    x1 = Math.max(x1, i % 28);
    y0 = Math.min(y0, Math.floor(i / 28));
    y1 = Math.max(y1, Math.floor(i / 28));
  });
  return { w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

t.test('a blank drawing is nothing', async (t) => {
  t.equal(toMnist(new Float32Array(100 * 80), 100, 80), undefined);
  t.throws(() => toMnist(new Float32Array(10), 4, 4), /10 values for a 4 x 4 drawing/);
});

t.test('a tall stroke in a corner is scaled to 20 pixels high and centred', async (t) => {
  const W = 280, H = 200;
  const ink = new Float32Array(W * H);
  for (let y = 10; y < 110; y++) for (let x = 5; x < 25; x++) ink[y * W + x] = 1; // 20 x 100, top left
  const img = toMnist(ink, W, H)!;
  t.equal(img.length, 784);
  t.same(box(img), { w: 4, h: 20 }, 'longer side 20, aspect kept');
  const [cx, cy] = centreOfMass(img);
  t.ok(Math.abs(cx - 14) <= 0.5 && Math.abs(cy - 14) <= 0.5, `centre of mass at the centre (${cx}, ${cy})`);
  t.ok(img.every((v) => v >= 0 && v <= 1), 'pixels in [0, 1]');
  t.equal(Math.max(...img), 1, 'solid ink stays 1');
});

t.test('a drawing for colour images of another size: the box scaled to 20/28 of the shorter side, ink in every channel', async (t) => {
  const W = 280, H = 200;
  const ink = new Float32Array(W * H);
  for (let y = 10; y < 110; y++) for (let x = 5; x < 25; x++) ink[y * W + x] = 1; // 20 x 100, top left
  const shape = { height: 42, width: 56, channels: 3 };
  const img = toImage(ink, { width: W, height: H, shape })!;
  t.equal(img.length, 42 * 56 * 3);
  const red = img.filter((_, i) => i % 3 === 0);
  t.same([img.filter((_, i) => i % 3 === 1), img.filter((_, i) => i % 3 === 2)], [red, red], 'white ink: the same in every channel');
  const rows = Array.from({ length: 42 }, (_, y) => red.subarray(y * 56, (y + 1) * 56));
  const inked = rows.map((r, y) => (r.some((v) => v > 0) ? y : -1)).filter((y) => y >= 0);
  t.equal(inked.length, 30, 'longer side 30 = 20/28 of 42');
  const columns = Array.from({ length: 56 }, (_, x) => rows.some((r) => r[x]! > 0));
  const first = columns.indexOf(true);
  const width = columns.lastIndexOf(true) - first + 1;
  t.equal(width, 6, 'aspect kept');
  t.ok(Math.abs(first + width / 2 - 28) <= 1 && Math.abs(inked[0]! + 15 - 21) <= 1, `centred (columns ${first}.., rows ${inked[0]}..)`);
});

t.test('the result does not depend on the drawing\'s resolution: MNIST digits drawn 10x larger', async (t) => {
  const { test } = mnistSubset(0, 20);
  for (let n = 0; n < 20; n++) {
    const digit = test.images.subarray(n * 784, (n + 1) * 784);
    // The digit's bounding box, upscaled 10x (nearest), on a larger canvas: the drawing of an MNIST digit.
    const W = 400;
    const ink = new Float32Array(W * W);
    for (let y = 0; y < 28 * 10; y++) for (let x = 0; x < 28 * 10; x++) ink[(y + 60) * W + x + 30] = digit[Math.floor(y / 10) * 28 + Math.floor(x / 10)]!;
    const big = toMnist(ink, W, W)!;
    const small = toMnist(digit, 28, 28)!;
    let dot = 0, a = 0, b = 0;
    for (let i = 0; i < 784; i++) {
      dot += big[i]! * small[i]!;
      a += big[i]! ** 2;
      b += small[i]! ** 2;
    }
    const cosine = dot / Math.sqrt(a * b);
    t.ok(cosine > 0.98, `test digit ${n}: cosine similarity ${cosine.toFixed(4)} between the large and the 28 x 28 drawing`);
  }
});
