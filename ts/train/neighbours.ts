// The distance from each training image to its k-th nearest other training image, for IMSAT's adaptive VAT radius
// (Hu et al. 2017: eps(x) = 0.25 ||x - x^(10)||, x^(10) the 10th nearest neighbour of x). Computed on the backend as
// blocks of the Gram matrix: ||a - b||^2 = ||a||^2 + ||b||^2 - 2 a.b, the nearest k per row kept on the host. For the
// 59 000 MNIST images of a run that is 2.7 TFLOP of GEMM, under a minute on the cpu or Wasm backend, done once per
// process (a resumed run computes it again, identically).
import { type Backend, type Tensor } from '../backend/backend.js';

/** Rows and columns of one block of the Gram matrix: (rows, cols) floats, 8 MiB, downloaded at a time. */
const BLOCK = { rows: 512, cols: 4096 };

export interface NeighbourOptions {
  /** The rows of `images` among which neighbours are found (a run's training images). */
  rows: Int32Array;
  /** Which neighbour: 1 is the nearest other image. */
  k: number;
  /** The Gram matrix's block size (default 512 x 4096). */
  block?: { rows: number; cols: number };
}

/**
 * For each of options.rows, the Euclidean distance (pixel units) to its k-th nearest other image among those rows:
 * (rows.length). images: (N, D) on the backend, float32 or uint8 pixels (gathered as byte / 255). The Gram matrix is
 * float32, so a squared distance carries an absolute error of about 1e-7 times the squared norms (a near-duplicate's
 * distance of 0 comes out as up to about 1e-3 for MNIST's images): far below the 10th neighbour's distance.
 */
export function kthNeighbourDistances(be: Backend, images: Tensor, options: NeighbourOptions): Float32Array {
  const { rows, k } = options;
  const { rows: ROWS, cols: COLS } = options.block ?? BLOCK;
  const n = rows.length;
  const d = images.shape[1]!;
  if (!(Number.isInteger(k) && k >= 1 && k < n)) throw new RangeError(`kthNeighbourDistances: k must be an integer in [1, ${n}), got ${k}`);
  const best = new Float64Array(n * k).fill(Infinity); // row i: its k smallest squared distances, ascending
  const norms = new Float64Array(n);
  const aIndex = be.tensor([ROWS]);
  const bIndex = be.tensor([COLS]);
  const a = be.tensor([ROWS, d]);
  const b = be.tensor([COLS, d]);
  const gram = be.tensor([ROWS, COLS]);
  /** Gathers images rows[first, first + count) into the first rows of `into` (the rest repeat the first: unread). */
  const gather = (first: number, count: number, index: Tensor, into: Tensor) => {
    const host = new Float32Array(index.size).fill(rows[first]!);
    for (let j = 0; j < count; j++) host[j] = rows[first + j]!;
    be.upload(index, host);
    be.gatherRows(images, index, into);
  };
  try {
    for (let c0 = 0; c0 < n; c0 += COLS) {
      const cols = Math.min(COLS, n - c0);
      gather(c0, cols, bIndex, b);
      const bHost = be.download(b);
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let e = 0; e < d; e++) s += bHost[j * d + e]! ** 2;
        norms[c0 + j] = s;
      }
    }
    for (let c0 = 0; c0 < n; c0 += COLS) {
      const cols = Math.min(COLS, n - c0);
      gather(c0, cols, bIndex, b);
      for (let r0 = 0; r0 < n; r0 += ROWS) {
        const count = Math.min(ROWS, n - r0);
        gather(r0, count, aIndex, a);
        be.matmul(a, b, gram, { transB: true });
        const g = be.download(gram);
        for (let i = 0; i < count; i++) {
          const row = r0 + i;
          const top = row * k;
          for (let j = 0; j < cols; j++) {
            const col = c0 + j;
            const dist = norms[row]! + norms[col]! - 2 * g[i * COLS + j]!;
            if (dist >= best[top + k - 1]! || col === row) continue;
            let p = top + k - 1;
            while (p > top && best[p - 1]! > dist) {
              best[p] = best[p - 1]!;
              p--;
            }
            best[p] = dist;
          }
        }
      }
    }
  } finally {
    for (const t of [aIndex, bIndex, a, b, gram]) be.free(t);
  }
  return Float32Array.from({ length: n }, (_, i) => Math.sqrt(Math.max(0, best[i * k + k - 1]!)));
}
