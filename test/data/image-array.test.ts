// Image arrays of any size (ts/data/image-array.ts): the shapes that hold images, the shape a caller expects, and
// one DataError naming the file, the shape found and what was expected for every other shape.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { imageShapeOf, readImageArray } from '../../ts/data/image-array.js';
import { bytesOf, npyBytes } from '../helpers/npy.js';
import { tempDir } from '../helpers/temp-dir.js';

const rgb = { height: 4, width: 5, channels: 3 };
const grey = (height: number, width: number) => ({ height, width, channels: 1 });

t.test('(N, H, W), (N, H, W, C) and square (N, D) give their shapes', async (t) => {
  t.same(imageShapeOf([7, 28, 28], 'f'), grey(28, 28));
  t.same(imageShapeOf([7, 4, 5, 3], 'f'), rgb);
  t.same(imageShapeOf([7, 4, 5, 1], 'f'), grey(4, 5));
  t.same(imageShapeOf([7, 1024], 'f'), grey(32, 32));
  t.same(imageShapeOf([7, 60], 'f', { shape: rgb, source: '--image-shape=4x5x3' }), rgb, 'a flat D of the expected size');
  t.same(imageShapeOf([7, 4, 5, 3], 'f', { shape: rgb, source: '--image-shape=4x5x3' }), rgb);
});

t.test('other shapes: one error naming the file, the shape found and what was expected', async (t) => {
  const declared = { shape: rgb, source: '--image-shape=4x5x3' };
  const cases: [number[], typeof declared | undefined, string][] = [
    [[7], undefined, 'f.npy: found shape (7); expected images of shape (N, H, W), (N, H, W, C) with C = 1 or 3, or (N, D), none of them 0'],
    [[7, 2, 2, 3, 1], undefined, 'f.npy: found shape (7, 2, 2, 3, 1); expected images of shape (N, H, W), (N, H, W, C) with C = 1 or 3, or (N, D), none of them 0'],
    [[0, 28, 28], undefined, 'f.npy: found shape (0, 28, 28); expected images of shape (N, H, W), (N, H, W, C) with C = 1 or 3, or (N, D), none of them 0'],
    [[7, 4, 5, 4], undefined, 'f.npy: found shape (7, 4, 5, 4); 4 channels per pixel, expected 1 (grey) or 3 (RGB)'],
    [[7, 3072], undefined, 'f.npy: found shape (7, 3072); 3072 values per image is not a square of grey pixels: give the image shape, e.g. --image-shape=HxWxC with H*W*C = 3072'],
    [[7, 61], declared, 'f.npy: found shape (7, 61); --image-shape=4x5x3 expects 4x5x3 images: (N, 4, 5, 3) or (N, 60)'],
    [[7, 5, 4, 3], declared, 'f.npy: found shape (7, 5, 4, 3); --image-shape=4x5x3 expects 4x5x3 images: (N, 4, 5, 3) or (N, 60)'],
    [[7, 4, 5], declared, 'f.npy: found shape (7, 4, 5); --image-shape=4x5x3 expects 4x5x3 images: (N, 4, 5, 3) or (N, 60)'],
    [[7, 4, 5, 3], { shape: grey(4, 5), source: 'the training images (t.npy)' }, 'f.npy: found shape (7, 4, 5, 3); the training images (t.npy) expects 4x5 images: (N, 4, 5) or (N, 4, 5, 1) or (N, 20)'],
  ];
  for (const [dims, expected, message] of cases) t.throws(() => imageShapeOf(dims, 'f.npy', expected), { name: 'DataError', message }, `(${dims.join(', ')})`);
});

t.test('uint8 .npy and idx images are scaled to [0, 1]; float32 ones are kept, and checked to lie in [0, 1]', async (t) => {
  const dir = tempDir(t, 'image-array');
  const bytes = Uint8Array.from({ length: 2 * 60 }, (_, i) => (i * 7) % 256);
  writeFileSync(join(dir, 'a.npy'), npyBytes('|u1', [2, 4, 5, 3], bytes));
  const a = readImageArray(join(dir, 'a.npy'));
  t.same([a.n, a.shape], [2, rgb]);
  t.equal(a.images[9], Math.fround(63 / 255));
  const idx = new Uint8Array(4 + 4 * 4 + bytes.length);
  idx.set([0, 0, 8, 4]);
  [2, 4, 5, 3].forEach((d, i) => new DataView(idx.buffer).setUint32(4 + 4 * i, d, false));
  idx.set(bytes, 20);
  writeFileSync(join(dir, 'b-idx4-ubyte'), idx);
  const b = readImageArray(join(dir, 'b-idx4-ubyte'));
  t.same([b.n, b.shape, Array.from(b.images)], [2, rgb, Array.from(a.images)], 'an idx (N, H, W, C) file reads as the .npy one');
  const floats = Float32Array.from(bytes, (v) => v / 255);
  writeFileSync(join(dir, 'c.npy'), npyBytes('<f4', [2, 60], bytesOf(floats)));
  const c = readImageArray(join(dir, 'c.npy'), { shape: rgb, source: '--image-shape=4x5x3' });
  t.same([c.n, c.shape], [2, rgb]);
  t.same(Array.from(c.images), Array.from(floats));
  floats[61] = 1.5;
  writeFileSync(join(dir, 'd.npy'), npyBytes('<f4', [2, 4, 5, 3], bytesOf(floats)));
  t.throws(() => readImageArray(join(dir, 'd.npy')), { name: 'DataError', message: `${join(dir, 'd.npy')}: pixel 1.5 at index 61; expected float32 pixels in [0, 1] (divide uint8 images by 255)` });
});
