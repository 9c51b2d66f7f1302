// A drawing to an image of the model's shape, as MNIST's digits were made: the ink's bounding box scaled
// (area-averaged) so that its longer side is 20/28 of the image's shorter side (20 pixels of MNIST's 28), placed
// with its centre of mass at the image's centre; white ink on black, the same in every channel of a colour image.
// Pure arithmetic on arrays (no DOM): the page passes a canvas's pixels, the tests pass arrays.
import { type ImageShape, MNIST_IMAGE } from '../../util/image-shape.js';

/** The ink's box: 20 of MNIST's 28 pixels. */
const BOX_FRACTION = 20 / 28;

// ink: (height, width) intensities in [0, 1], row-major -> (28 * 28) pixels in [0, 1]; undefined when blank
export function toMnist(ink: Float32Array, width: number, height: number): Float32Array | undefined {
  return toImage(ink, { width, height, shape: MNIST_IMAGE });
}

// ink: (o.height, o.width) intensities in [0, 1], row-major -> (H * W * C) pixels in [0, 1] of o.shape, channels
// interleaved; undefined when blank
export function toImage(ink: Float32Array, o: { width: number; height: number; shape: ImageShape }): Float32Array | undefined {
  const { width, height } = o;
  const { height: H, width: W, channels: C } = o.shape;
  if (ink.length !== width * height) throw new RangeError(`toImage: ${ink.length} values for a ${width} x ${height} drawing`);
  let x0 = width, x1 = -1, y0 = height, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! <= 0) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  if (x1 < 0) return undefined;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = Math.max(1, Math.round(BOX_FRACTION * Math.min(H, W))) / Math.max(bw, bh); // destination pixels per source pixel
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  // Area averaging: each destination pixel is the mean of the source area it covers (fractional edges weighted).
  const small = new Float32Array(tw * th);
  const sx = bw / tw;
  const sy = bh / th;
  for (let ty = 0; ty < th; ty++) {
    const ya = ty * sy;
    const yb = ya + sy;
    for (let tx = 0; tx < tw; tx++) {
      const xa = tx * sx;
      const xb = xa + sx;
      let sum = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          sum += wx * wy * ink[(y0 + y) * width + x0 + x]!;
        }
      }
      small[ty * tw + tx] = Math.min(1, sum / (sx * sy));
    }
  }
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x]!;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const left = Math.round(W / 2 - mx / mass);
  const top = Math.round(H / 2 - my / mass);
  const out = new Float32Array(H * W * C);
  for (let y = 0; y < th; y++) {
    const oy = top + y;
    if (oy < 0 || oy >= H) continue;
    for (let x = 0; x < tw; x++) {
      const ox = left + x;
      if (ox >= 0 && ox < W) out.fill(small[y * tw + x]!, (oy * W + ox) * C, (oy * W + ox + 1) * C);
    }
  }
  return out;
}
