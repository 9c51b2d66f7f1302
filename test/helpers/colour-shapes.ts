// A small colour dataset for tests: H x W x 3 uint8 images of two classes, a red square (class 0) and a blue disc
// (class 1), of varying size and place on a dark green background, written as a --data directory of .npy files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesOf, npyBytes } from './npy.js';

/** n images (n, side, side, 3) uint8 and their labels (n): image i is class i % 2. */
export function colourShapes(n: number, side: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * side * side * 3);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 2);
  for (let i = 0; i < n; i++) {
    const r = 4 + (i % 5); // half the shape's size
    const cx = r + ((i * 7) % (side - 2 * r));
    const cy = r + ((i * 11) % (side - 2 * r));
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const inside = labels[i] === 0 ? Math.abs(x - cx) < r && Math.abs(y - cy) < r : (x - cx) ** 2 + (y - cy) ** 2 < r * r;
        const colour = !inside ? [10, 60, 20] : labels[i] === 0 ? [230, 30, 30] : [40, 60, 240];
        images.set(colour, ((i * side + y) * side + x) * 3);
      }
    }
  }
  return { images, labels };
}

/** Writes train-images.npy (nTrain, side, side, 3), test-images.npy and both label files into dir. */
export function writeColourShapes(dir: string, options: { nTrain: number; nTest: number; side: number }): void {
  const { nTrain, nTest, side } = options;
  const all = colourShapes(nTrain + nTest, side);
  const size = side * side * 3;
  const labels = (from: number, to: number) => bytesOf(BigInt64Array.from(all.labels.subarray(from, to), (l) => BigInt(l)));
  writeFileSync(join(dir, 'train-images.npy'), npyBytes('|u1', [nTrain, side, side, 3], all.images.subarray(0, nTrain * size)));
  writeFileSync(join(dir, 'train-labels.npy'), npyBytes('<i8', [nTrain], labels(0, nTrain)));
  writeFileSync(join(dir, 'test-images.npy'), npyBytes('|u1', [nTest, side, side, 3], all.images.subarray(nTrain * size)));
  writeFileSync(join(dir, 'test-labels.npy'), npyBytes('<i8', [nTest], labels(nTrain, nTrain + nTest)));
}
