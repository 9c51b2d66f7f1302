// Grayscale and RGB images as PNG files (pngjs), written atomically.
import pngjs from 'pngjs';
import { writeFileAtomic } from '../util/atomic.js';

export interface GrayImage {
  width: number;
  height: number;
  pixels: Float32Array; // (height, width), values in [0, 1]
}

export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array; // (height, width, 3)
}

/** A figure: grey or RGB. */
export type FigureImage = GrayImage | RgbImage;

export function encodePng(img: FigureImage): Uint8Array {
  const color = 'rgb' in img;
  const png = new pngjs.PNG({ width: img.width, height: img.height, colorType: color ? 2 : 0, inputColorType: color ? 2 : 0, inputHasAlpha: false });
  if (color) png.data.set(img.rgb);
  else for (let i = 0; i < img.pixels.length; i++) png.data[i] = Math.round(255 * Math.min(1, Math.max(0, img.pixels[i]!)));
  return pngjs.PNG.sync.write(png, { colorType: color ? 2 : 0, inputColorType: color ? 2 : 0, inputHasAlpha: false });
}

export function writePng(file: string, img: FigureImage): void {
  writeFileAtomic(file, encodePng(img));
}
