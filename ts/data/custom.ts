// `--data DIR`: a user's own 28x28 images in place of MNIST, as idx files or .npy arrays:
//   DIR/train-images.npy | DIR/train-images-idx3-ubyte     required: uint8 (0..255) or float32 in [0, 1],
//   DIR/test-images.npy  | DIR/t10k-images-idx3-ubyte      required  shape (N, 784) or (N, 28, 28)
//   DIR/train-labels.npy | DIR/train-labels-idx1-ubyte     optional: (N) integers 0..9
//   DIR/test-labels.npy  | DIR/t10k-labels-idx1-ubyte      optional
// Every problem is a DataError naming the file, the shape or value found and what was expected.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from './idx.js';
import { readLabels } from './labels.js';
import { type Dataset, loadIdxPair } from './mnist.js';
import { type NpyArray, readNpy } from './npy.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

const NAMES = {
  trainImages: ['train-images.npy', 'train-images-idx3-ubyte'],
  trainLabels: ['train-labels.npy', 'train-labels-idx1-ubyte'],
  testImages: ['test-images.npy', 't10k-images-idx3-ubyte'],
  testLabels: ['test-labels.npy', 't10k-labels-idx1-ubyte'],
};

/** The first of `names` present in dir, or undefined. */
function find(dir: string, names: string[]): string | undefined {
  return names.map((n) => join(dir, n)).find((f) => existsSync(f));
}

/** Images (N, 784) in [0, 1] from an idx (N, 28, 28) uint8 file or a .npy (N, 784) / (N, 28, 28) uint8 or float32 array. */
export function readImages(file: string): Float32Array {
  const expected = `expected images of shape (N, ${PIXELS}) or (N, ${SIDE}, ${SIDE})`;
  if (!file.endsWith('.npy')) {
    const d = loadIdxPair(file);
    if (d.rows !== SIDE || d.cols !== SIDE) throw new DataError(`${file}: found shape (${d.n}, ${d.rows}, ${d.cols}); ${expected}`);
    return d.images;
  }
  const a: NpyArray = readNpy(file);
  const imageShape = (a.shape.length === 2 && a.shape[1] === PIXELS) || (a.shape.length === 3 && a.shape[1] === SIDE && a.shape[2] === SIDE);
  if (!imageShape || a.shape[0] === 0) throw new DataError(`${file}: found shape (${a.shape.join(', ')}); ${expected}`);
  if (a.dtype === 'uint8') return Float32Array.from(a.data, (v) => v / 255);
  if (a.dtype !== 'float32') throw new DataError(`${file}: images of dtype ${a.dtype}; expected uint8 (0..255) or float32 in [0, 1]`);
  const bad = a.data.findIndex((v) => !(v >= 0 && v <= 1));
  if (bad >= 0) throw new DataError(`${file}: pixel ${a.data[bad]} at index ${bad}; expected float32 pixels in [0, 1] (divide uint8 images by 255)`);
  return a.data as Float32Array;
}

function loadSplit(dir: string, images: string[], labels: string[], what: string): Dataset {
  const imagesFile = find(dir, images);
  if (!imagesFile) throw new DataError(`${dir}: no ${what} images; expected ${images.map((n) => join(dir, n)).join(' or ')}`);
  const pixels = readImages(imagesFile);
  const n = pixels.length / PIXELS;
  const labelsFile = find(dir, labels);
  return { images: pixels, labels: labelsFile ? readLabels(labelsFile, n, imagesFile) : undefined, n, rows: SIDE, cols: SIDE };
}

/** The training and test sets of a --data directory (see the header for the file names). */
export function loadDataDir(dir: string): { train: Dataset; test: Dataset } {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new DataError(`${dir}: no such directory (--data expects a directory of train/test images, .npy or idx)`);
  }
  if (!isDir) throw new DataError(`${dir}: not a directory (--data expects a directory holding ${NAMES.trainImages[0]} and ${NAMES.testImages[0]}, or the idx files)`);
  return {
    train: loadSplit(dir, NAMES.trainImages, NAMES.trainLabels, 'training'),
    test: loadSplit(dir, NAMES.testImages, NAMES.testLabels, 'test'),
  };
}
