// Our own reader for the idx format of the MNIST files (LeCun et al.): 2 zero bytes, a type code, the number of
// dimensions, then one big-endian uint32 per dimension, then the data. Only unsigned bytes (0x08) are used by MNIST
// and supported here. Every error names the file and what was expected.
import { readInputFile } from '../util/input-file.js';

export class DataError extends Error {
  override name = 'DataError';
}

export interface IdxArray {
  dims: number[];
  data: Uint8Array; // product(dims) bytes
}

const TYPE_NAMES: Record<number, string> = { 0x08: 'uint8', 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

/** Parses idx bytes; `file` is only used in error messages. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const fail = (what: string): never => {
    throw new DataError(`${file}: not a valid idx file: ${what}`);
  };
  if (bytes.length < 4) fail(`expected at least a 4-byte header, found ${bytes.length} bytes`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`bad magic number 0x${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('')} (expected 0x000008NN)`);
  }
  const type = bytes[2]!;
  if (type !== 0x08) {
    fail(`element type 0x${type.toString(16).padStart(2, '0')} (${TYPE_NAMES[type] ?? 'unknown'}) is not supported; expected 0x08 (uint8)`);
  }
  const ndim = bytes[3]!;
  if (ndim < 1 || ndim > 4) fail(`${ndim} dimensions; expected 1 to 4`);
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) fail(`truncated header: ${ndim} dimensions need ${headerBytes} header bytes, found ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d === 0) fail(`dimension ${i} is 0; expected >= 1`);
    dims.push(d);
    size *= d;
  }
  const available = bytes.length - headerBytes;
  if (size > available) fail(`truncated: dimensions [${dims.join(', ')}] need ${size} bytes of data, found ${available}`);
  if (size < available) fail(`dimensions [${dims.join(', ')}] need ${size} bytes of data, but the file has ${available - size} trailing bytes`);
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Largest idx file we read: MNIST's training images are 47 MB. */
const MAX_BYTES = 2 ** 31;

export function readIdx(file: string): IdxArray {
  return parseIdx(readInputFile(file, { what: 'an idx file such as train-images-idx3-ubyte', maxBytes: MAX_BYTES }), file);
}
