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

/** Bytes from the start of an idx file that hold its whole header (4 dimensions at most). */
const IDX_HEAD_BYTES = 4 + 4 * 4;

/**
 * Checks the header in `head` (the file's first bytes, or all of them) against the file's total size: the
 * dimensions declared must need exactly the bytes the file has after its header.
 */
function idxLayout(head: Uint8Array, fileSize: number, file: string): { dims: number[]; headerBytes: number } {
  const fail = (what: string): never => {
    throw new DataError(`${file}: not a valid idx file: ${what}`);
  };
  if (fileSize < 4) fail(`expected at least a 4-byte header, found ${fileSize} bytes`);
  if (head[0] !== 0 || head[1] !== 0) {
    fail(`bad magic number 0x${[...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('')} (expected 0x000008NN)`);
  }
  const type = head[2]!;
  if (type !== 0x08) {
    fail(`element type 0x${type.toString(16).padStart(2, '0')} (${TYPE_NAMES[type] ?? 'unknown'}) is not supported; expected 0x08 (uint8)`);
  }
  const ndim = head[3]!;
  if (ndim < 1 || ndim > 4) fail(`${ndim} dimensions; expected 1 to 4`);
  const headerBytes = 4 + 4 * ndim;
  if (fileSize < headerBytes) fail(`truncated header: ${ndim} dimensions need ${headerBytes} header bytes, found ${fileSize}`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d === 0) fail(`dimension ${i} is 0; expected >= 1`);
    dims.push(d);
    size *= d;
  }
  const available = fileSize - headerBytes;
  if (size > available) fail(`truncated: dimensions [${dims.join(', ')}] need ${size} bytes of data, found ${available}`);
  if (size < available) fail(`dimensions [${dims.join(', ')}] need ${size} bytes of data, but the file has ${available - size} trailing bytes`);
  return { dims, headerBytes };
}

/** Parses idx bytes; `file` is only used in error messages. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const { dims, headerBytes } = idxLayout(bytes, bytes.length, file);
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Largest idx file we read: MNIST's training images are 47 MB. */
const MAX_BYTES = 2 ** 31;

/** Reads an idx file: its header is checked against its size before the data is read. */
export function readIdx(file: string): IdxArray {
  const check = { headBytes: IDX_HEAD_BYTES, layout: (head: Uint8Array, size: number) => idxLayout(head, size, file) };
  return parseIdx(readInputFile(file, { what: 'an idx file such as train-images-idx3-ubyte', maxBytes: MAX_BYTES, check }), file);
}
