// The shape of one image: height x width pixels of 1 (grey) or 3 (RGB) channels, stored row-major with the channels
// interleaved ((H, W, C), as numpy and PIL hold them), so an image is one row of H * W * C values. The data, the
// models, the figures and the explorer all read it from here.
import { UsageError } from './usage-error.js';

export interface ImageShape {
  height: number;
  width: number;
  /** 1 (grey) or 3 (RGB, interleaved). */
  channels: number;
}

/** MNIST's digits: 28 x 28 grey pixels. */
export const MNIST_IMAGE: ImageShape = { height: 28, width: 28, channels: 1 };

/** The channel counts an image may have. */
export const CHANNEL_COUNTS: readonly number[] = [1, 3];

/** Values per image: height * width * channels. */
export function imageSize(shape: ImageShape): number {
  return shape.height * shape.width * shape.channels;
}

/** "32x32x3", or "28x28" for a grey image. */
export function formatImageShape(shape: ImageShape): string {
  return `${shape.height}x${shape.width}${shape.channels === 1 ? '' : `x${shape.channels}`}`;
}

/** Whether two shapes are the same. */
export function sameImageShape(a: ImageShape, b: ImageShape): boolean {
  return a.height === b.height && a.width === b.width && a.channels === b.channels;
}

/** Square grey images of `size` pixels, when size is a perfect square; undefined otherwise. */
export function squareGreyShape(size: number): ImageShape | undefined {
  const side = Math.round(Math.sqrt(size));
  return side >= 1 && side * side === size ? { height: side, width: side, channels: 1 } : undefined;
}

/** Largest height or width accepted (far beyond what a fully connected model can take). */
const MAX_SIDE = 1 << 16;

/** "HxW" or "HxWxC" (the --image-shape flag) -> the shape, or a UsageError naming the flag and what was expected. */
export function parseImageShape(text: string, flag = '--image-shape'): ImageShape {
  const m = /^(\d+)x(\d+)(?:x(\d+))?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag}=${text}: expected HxW or HxWxC in pixels, e.g. ${flag}=32x32x3`);
  const [height, width, channels] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  for (const [name, v] of [['height', height], ['width', width]] as const) {
    if (!(v >= 1 && v <= MAX_SIDE)) throw new UsageError(`${flag}=${text}: ${name} must be in [1, ${MAX_SIDE}], got ${v}`);
  }
  if (!CHANNEL_COUNTS.includes(channels)) throw new UsageError(`${flag}=${text}: ${channels} channels; expected 1 (grey) or 3 (RGB)`);
  return { height, width, channels };
}
