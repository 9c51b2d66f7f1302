// Images kept as their bytes. A byte source (MNIST's idx files, uint8 .npy arrays) holds its pixels 0..255 as they
// were read, a pixel being worth byte / 255; its float32 images are computed from the bytes on first use and cached,
// so a training or eval run, which uploads the bytes (Backend.pixels), never holds its training set as float32.

/** The float32 pixel values of `bytes`: Math.fround(b / 255) each, what gatherRows gives from a pixel tensor. */
export function pixelValues(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! / 255;
  return out;
}

/** `fields` with `images`: its `pixels` as float32 values, computed on the first read of `images` and kept. */
export function withLazyImages<T extends { pixels: Uint8Array }>(fields: T): T & { readonly images: Float32Array } {
  let images: Float32Array | undefined;
  return Object.defineProperty({ ...fields }, 'images', {
    get: () => (images ??= pixelValues(fields.pixels)),
    enumerable: true,
  }) as T & { readonly images: Float32Array };
}
