// A small slice of the real MNIST files, for tests that train. Its images are bytes, as loadMnist's are (the float32
// images computed from them when read); floatOnly gives the same data as a float32 source would (no bytes).
import { type Dataset, loadMnist } from '../../ts/data/mnist.js';
import { withLazyImages } from '../../ts/data/pixels.js';

function head(d: Dataset, n: number): Dataset {
  const fields = { labels: d.labels?.slice(0, n), n, rows: d.rows, cols: d.cols, channels: d.channels };
  return d.pixels ? withLazyImages({ ...fields, pixels: d.pixels.slice(0, n * 784) }) : { ...fields, images: d.images.slice(0, n * 784) };
}

let cache: { train: Dataset; test: Dataset } | undefined;

export function mnistSubset(nTrain: number, nTest: number): { train: Dataset; test: Dataset } {
  cache ??= loadMnist();
  return { train: head(cache.train, nTrain), test: head(cache.test, nTest) };
}

/** d with its float32 images only, as a float32 source gives them. */
export function floatOnly(d: Dataset): Dataset {
  return { images: d.images, labels: d.labels, n: d.n, rows: d.rows, cols: d.cols, channels: d.channels };
}
