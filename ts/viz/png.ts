// Grayscale images as PNG files (pngjs), written atomically.
import pngjs from 'pngjs';
import { writeFileAtomic } from '../util/atomic.js';

export interface GrayImage {
  width: number;
  height: number;
  pixels: Float32Array; // (height, width), values in [0, 1]
}

export function encodePng(img: GrayImage): Uint8Array {
  const png = new pngjs.PNG({ width: img.width, height: img.height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  for (let i = 0; i < img.pixels.length; i++) png.data[i] = Math.round(255 * Math.min(1, Math.max(0, img.pixels[i]!)));
  return pngjs.PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

export function writePng(file: string, img: GrayImage): void {
  writeFileAtomic(file, encodePng(img));
}
