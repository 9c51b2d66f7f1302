// Grayscale and RGB images as PNG files, written atomically: grey and many-coloured RGB through pngjs, RGB images of
// at most 256 colours (the scatter plots: a dozen) as indexed-colour PNGs, lossless and about a fifth of the bytes.
import { deflateSync } from 'node:zlib';
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
  if (color) {
    const indexed = encodeIndexedPng(img);
    if (indexed) return indexed;
  }
  const png = new pngjs.PNG({ width: img.width, height: img.height, colorType: color ? 2 : 0, inputColorType: color ? 2 : 0, inputHasAlpha: false });
  if (color) png.data.set(img.rgb);
  else for (let i = 0; i < img.pixels.length; i++) png.data[i] = Math.round(255 * Math.min(1, Math.max(0, img.pixels[i]!)));
  return pngjs.PNG.sync.write(png, { colorType: color ? 2 : 0, inputColorType: color ? 2 : 0, inputHasAlpha: false });
}

export function writePng(file: string, img: FigureImage): void {
  writeFileAtomic(file, encodePng(img));
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** `img` as an 8-bit indexed-colour PNG, or undefined when it has more than 256 colours. */
export function encodeIndexedPng(img: RgbImage): Uint8Array | undefined {
  const { width, height, rgb } = img;
  const index = new Map<number, number>();
  const rows = new Uint8Array(height * (width + 1)); // each row: filter byte 0 (none), then width palette indices
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = 3 * (y * width + x);
      const key = (rgb[p]! << 16) | (rgb[p + 1]! << 8) | rgb[p + 2]!;
      let i = index.get(key);
      if (i === undefined) {
        if (index.size === 256) return undefined;
        index.set(key, (i = index.size));
      }
      rows[y * (width + 1) + 1 + x] = i;
    }
  }
  const palette = new Uint8Array(3 * index.size);
  for (const [key, i] of index) palette.set([key >>> 16, (key >>> 8) & 0xff, key & 0xff], 3 * i);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 3, 0, 0, 0], 8); // bit depth 8, colour type 3 (indexed), deflate, adaptive filtering, no interlace
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('PLTE', palette), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}
