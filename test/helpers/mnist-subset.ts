// A small slice of the real MNIST files, for tests that train.
import { type Dataset, loadMnist } from '../../ts/data/mnist.js';

function head(d: Dataset, n: number): Dataset {
  return { images: d.images.slice(0, n * 784), labels: d.labels?.slice(0, n), n, rows: d.rows, cols: d.cols, channels: d.channels };
}

let cache: { train: Dataset; test: Dataset } | undefined;

export function mnistSubset(nTrain: number, nTest: number): { train: Dataset; test: Dataset } {
  cache ??= loadMnist();
  return { train: head(cache.train, nTrain), test: head(cache.test, nTest) };
}
