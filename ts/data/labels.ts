// Class labels from an idx (N) uint8 file or a .npy (N) uint8 / int32 / int64 array: MNIST's label files and the
// label files of a --data directory go through the same checks (shape, count, values 0..classes-1).
import { DataError, readIdx } from './idx.js';
import { readNpy } from './npy.js';

/** Labels (n) for the n images of imagesFile (named in errors). */
export function readLabels(file: string, n: number, imagesFile: string, classes = 10): Uint8Array {
  let shape: number[];
  let values: ArrayLike<number>;
  if (file.endsWith('.npy')) {
    const a = readNpy(file);
    if (a.dtype === 'float32') throw new DataError(`${file}: labels of dtype float32; expected integers 0..${classes - 1} (uint8, int32 or int64)`);
    shape = a.shape;
    values = a.data;
  } else {
    const a = readIdx(file);
    shape = a.dims;
    values = a.data;
  }
  if (shape.length !== 1) throw new DataError(`${file}: found shape (${shape.join(', ')}); expected labels of shape (N)`);
  if (shape[0] !== n) throw new DataError(`${file}: ${shape[0]} labels for the ${n} images of ${imagesFile}; expected equal counts`);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= classes) throw new DataError(`${file}: label ${v} at index ${i}; expected labels 0..${classes - 1}`);
    labels[i] = v;
  }
  return labels;
}
