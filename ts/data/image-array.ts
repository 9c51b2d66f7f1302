// Image arrays of any size from an idx or .npy file: (N, H, W) grey, (N, H, W, C) with C = 1 or 3 interleaved
// channels, or (N, D) flat rows. Flat rows are square grey images when D is a perfect square; otherwise (or to read
// them as colour) the caller names the shape (--image-shape). Pixels are float32 in [0, 1]: uint8 is kept as bytes
// and divided by 255 when first read as float32 (ts/data/pixels.ts), float32 must already lie in [0, 1]. Every problem
// is a DataError naming the file, the shape or value found and what was expected.
import { CHANNEL_COUNTS, type ImageShape, formatImageShape, imageSize, sameImageShape, squareGreyShape } from '../util/image-shape.js';
import { DataError, readIdx } from './idx.js';
import { type NpyArray, readNpy } from './npy.js';
import { withLazyImages } from './pixels.js';

/** A shape the images must have, and where it comes from ("--image-shape=32x32x3", "the training images ..."). */
export interface ExpectedImages {
  shape: ImageShape;
  source: string;
}

export interface ImageArray {
  /** (n, H * W * C) pixels in [0, 1]; of uint8 data, computed from `pixels` when first read. */
  readonly images: Float32Array;
  /** (n, H * W * C) bytes, a pixel being byte / 255: present when the file holds uint8. */
  pixels?: Uint8Array;
  n: number;
  shape: ImageShape;
}

const ANY_SHAPE = 'expected images of shape (N, H, W), (N, H, W, C) with C = 1 or 3, or (N, D)';

/** The array shapes that hold images of `shape`, for messages: "(N, 32, 32, 3) or (N, 3072)". */
function shapesOf(shape: ImageShape): string {
  const grid = shape.channels === 1 ? `(N, ${shape.height}, ${shape.width}) or (N, ${shape.height}, ${shape.width}, 1)` : `(N, ${shape.height}, ${shape.width}, ${shape.channels})`;
  return `${grid} or (N, ${imageSize(shape)})`;
}

/**
 * The image shape of an array of shape `dims` read from `file`: what (N, H, W), (N, H, W, C) or (N, D) holds, checked
 * against `expected` when given (a flat D must then equal its size).
 */
export function imageShapeOf(dims: readonly number[], file: string, expected?: ExpectedImages): ImageShape {
  const found = `${file}: found shape (${dims.join(', ')})`;
  const mismatch = (): never => {
    throw new DataError(`${found}; ${expected!.source} expects ${formatImageShape(expected!.shape)} images: ${shapesOf(expected!.shape)}`);
  };
  if (dims.length < 2 || dims.length > 4 || dims.some((d) => d === 0)) throw new DataError(`${found}; ${ANY_SHAPE}, none of them 0`);
  if (dims.length === 2) {
    const size = dims[1]!;
    if (expected) return imageSize(expected.shape) === size ? expected.shape : mismatch();
    const square = squareGreyShape(size);
    if (!square) throw new DataError(`${found}; ${size} values per image is not a square of grey pixels: give the image shape, e.g. --image-shape=HxWxC with H*W*C = ${size}`);
    return square;
  }
  const [, height, width, channels = 1] = dims as [number, number, number, number?];
  if (!CHANNEL_COUNTS.includes(channels)) throw new DataError(`${found}; ${channels} channels per pixel, expected 1 (grey) or 3 (RGB)`);
  const shape = { height, width, channels };
  if (expected && !sameImageShape(shape, expected.shape)) mismatch();
  return shape;
}

/** Float32 pixels from an array's values, checked to lie in [0, 1]. */
function floatPixels(a: Pick<NpyArray, 'dtype' | 'data'>, file: string): Float32Array {
  if (a.dtype !== 'float32') throw new DataError(`${file}: images of dtype ${a.dtype}; expected uint8 (0..255) or float32 in [0, 1]`);
  const bad = a.data.findIndex((v) => !(v >= 0 && v <= 1));
  if (bad >= 0) throw new DataError(`${file}: pixel ${a.data[bad]} at index ${bad}; expected float32 pixels in [0, 1] (divide uint8 images by 255)`);
  return a.data as Float32Array;
}

/** Images from a .npy file (uint8 or float32) or an idx file (uint8), of the shape `expected` when given. */
export function readImageArray(file: string, expected?: ExpectedImages): ImageArray {
  const a: Pick<NpyArray, 'dtype' | 'data' | 'shape'> = file.endsWith('.npy') ? readNpy(file) : idxAsArray(file);
  const shape = imageShapeOf(a.shape, file, expected);
  const n = a.shape[0]!;
  if (a.dtype === 'uint8') return withLazyImages({ pixels: a.data as Uint8Array, n, shape });
  return { images: floatPixels(a, file), n, shape };
}

function idxAsArray(file: string): Pick<NpyArray, 'dtype' | 'data' | 'shape'> {
  const { dims, data } = readIdx(file);
  return { dtype: 'uint8', data, shape: dims };
}
