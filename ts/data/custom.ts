// `--data DIR`: a user's own images in place of MNIST, as idx files or .npy arrays:
//   DIR/train-images.npy | DIR/train-images-idx3-ubyte     required: uint8 (0..255) or float32 in [0, 1], of shape
//   DIR/test-images.npy  | DIR/t10k-images-idx3-ubyte      required  (N, H, W), (N, H, W, C) with C = 1 or 3, or (N, D)
//   DIR/train-labels.npy | DIR/train-labels-idx1-ubyte     optional: (N) integers 0..9
//   DIR/test-labels.npy  | DIR/t10k-labels-idx1-ubyte      optional
// (N, D) rows are square grey images when D is a perfect square; other shapes are given with --image-shape (the
// `imageShape` option). The test images must have the training images' shape.
// Every problem is a DataError naming the file, the shape or value found and what was expected.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ImageShape, formatImageShape } from '../util/image-shape.js';
import { DataError } from './idx.js';
import { type ExpectedImages, readImageArray } from './image-array.js';
import { readLabels } from './labels.js';
import { withLazyImages } from './pixels.js';
import { type Dataset, datasetImageShape } from './mnist.js';

const NAMES = {
  trainImages: ['train-images.npy', 'train-images-idx3-ubyte'],
  trainLabels: ['train-labels.npy', 'train-labels-idx1-ubyte'],
  testImages: ['test-images.npy', 't10k-images-idx3-ubyte'],
  testLabels: ['test-labels.npy', 't10k-labels-idx1-ubyte'],
};

export interface DataDirOptions {
  /** The shape of one image, as the user gave it (--image-shape); read from the files' shapes when absent. */
  imageShape?: ImageShape;
}

/** The first of `names` present in dir, or undefined. */
function find(dir: string, names: string[]): string | undefined {
  return names.map((n) => join(dir, n)).find((f) => existsSync(f));
}

function loadSplit(dir: string, names: { images: string[]; labels: string[] }, what: string, expected: ExpectedImages | undefined): { data: Dataset; file: string } {
  const imagesFile = find(dir, names.images);
  if (!imagesFile) throw new DataError(`${dir}: no ${what} images; expected ${names.images.map((n) => join(dir, n)).join(' or ')}`);
  const array = readImageArray(imagesFile, expected);
  const { n, shape } = array;
  const labelsFile = find(dir, names.labels);
  const labels = labelsFile ? readLabels(labelsFile, n, imagesFile) : undefined;
  const fields = { labels, n, rows: shape.height, cols: shape.width, channels: shape.channels };
  const data = array.pixels ? withLazyImages({ ...fields, pixels: array.pixels }) : { ...fields, images: array.images };
  return { data, file: imagesFile };
}

/** The training and test sets of a --data directory (see the header for the file names). */
export function loadDataDir(dir: string, options: DataDirOptions = {}): { train: Dataset; test: Dataset } {
  checkDataDir(dir);
  const declared = options.imageShape && { shape: options.imageShape, source: `--image-shape=${formatImageShape(options.imageShape)}` };
  const train = loadSplit(dir, { images: NAMES.trainImages, labels: NAMES.trainLabels }, 'training', declared);
  const test = loadSplit(dir, { images: NAMES.testImages, labels: NAMES.testLabels }, 'test', { shape: datasetImageShape(train.data), source: `the training images (${train.file})` });
  return { train: train.data, test: test.data };
}

/**
 * The test set alone of a --data directory, its images checked to have `options.shape` (the shape a run's model was
 * built for, named by `options.source`): what the explorer shows, without reading the training images.
 */
export function loadDataDirTest(dir: string, options: ExpectedImages): Dataset {
  checkDataDir(dir);
  return loadSplit(dir, { images: NAMES.testImages, labels: NAMES.testLabels }, 'test', options).data;
}

function checkDataDir(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new DataError(`${dir}: no such directory (--data expects a directory of train/test images, .npy or idx)`);
  }
  if (!isDir) throw new DataError(`${dir}: not a directory (--data expects a directory holding ${NAMES.trainImages[0]} and ${NAMES.testImages[0]}, or the idx files)`);
}
