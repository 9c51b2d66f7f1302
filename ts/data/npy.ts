// Our own reader for NumPy's .npy format (numpy.lib.format, versions 1.0, 2.0 and 3.0): the magic "\x93NUMPY", a
// major/minor version, a little-endian header length (2 bytes in 1.0, 4 in 2.0/3.0), a Python-literal dict
// {'descr': ..., 'fortran_order': ..., 'shape': (...)}, then the C-order data. Only the dtypes custom image and label
// data come in are read: uint8, float32, int32 and int64 (little-endian). Every error names the file.
import { readInputFile } from '../util/input-file.js';
import { DataError } from './idx.js';

export type NpyDtype = 'uint8' | 'float32' | 'int32' | 'int64';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** The elements as numbers (int64 values must be exact below 2^53). */
  data: Uint8Array | Float32Array | Int32Array | Float64Array;
}

const DESCR: Record<string, { dtype: NpyDtype; bytes: number }> = {
  '|u1': { dtype: 'uint8', bytes: 1 },
  '<u1': { dtype: 'uint8', bytes: 1 },
  '<f4': { dtype: 'float32', bytes: 4 },
  '<i4': { dtype: 'int32', bytes: 4 },
  '<i8': { dtype: 'int64', bytes: 8 },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Where the data of a .npy file lies and what it holds, from its first bytes and its total size. */
interface NpyLayout {
  dtype: NpyDtype;
  shape: number[];
  dataStart: number;
  count: number;
}

/** Largest header read (numpy itself writes a few hundred bytes). */
const MAX_HEADER = 1 << 20;

/** Bytes from the start of a .npy file that always hold its whole header, when the header is within MAX_HEADER. */
const NPY_HEAD_BYTES = 12 + MAX_HEADER;

/**
 * Checks the preamble and header in `head` (the file's first bytes, or all of them) against the file's total size:
 * the shape and dtype declared must need exactly the bytes the file has after its header.
 */
function npyLayout(head: Uint8Array, fileSize: number, file: string): NpyLayout {
  const fail = (what: string): never => {
    throw new DataError(`${file}: not a valid .npy file: ${what}`);
  };
  if (fileSize < 10) fail(`expected at least a 10-byte preamble, found ${fileSize} bytes`);
  if (MAGIC.some((b, i) => head[i] !== b)) fail('bad magic string (expected \\x93NUMPY)');
  const major = head[6]!;
  if (major < 1 || major > 3) fail(`format version ${major}.${head[7]} is not supported; expected 1.0, 2.0 or 3.0`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (fileSize < 8 + lengthBytes) fail(`truncated preamble: ${fileSize} bytes`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > fileSize) fail(`the header claims ${headerLength} bytes but the file has ${fileSize - 8 - lengthBytes} after the preamble`);
  if (headerLength > MAX_HEADER) fail(`the header claims ${headerLength} bytes, more than the ${MAX_HEADER}-byte limit`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(head.subarray(8 + lengthBytes, dataStart));
  const { descr, fortran, shape } = parseHeader(header, fail);
  const type = DESCR[descr] ?? fail(`dtype '${descr}' is not supported; expected one of ${Object.keys(DESCR).join(', ')}`);
  if (fortran && shape.length > 1) fail('fortran_order is True; expected C-order data (numpy.ascontiguousarray)');
  const count = shape.reduce((a, b) => a * b, 1);
  const available = fileSize - dataStart;
  if (count * type.bytes > available) fail(`truncated: shape (${shape.join(', ')}) of ${type.dtype} needs ${count * type.bytes} bytes of data, found ${available}`);
  if (count * type.bytes < available) fail(`shape (${shape.join(', ')}) of ${type.dtype} needs ${count * type.bytes} bytes of data, but the file has ${available - count * type.bytes} trailing bytes`);
  return { dtype: type.dtype, shape, dataStart, count };
}

/** Parses .npy bytes; `file` is only used in error messages. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const { dtype, shape, dataStart, count } = npyLayout(bytes, bytes.length, file);
  const fail = (what: string): never => {
    throw new DataError(`${file}: not a valid .npy file: ${what}`);
  };
  return { dtype, shape, data: decode(bytes.slice(dataStart), count, dtype, fail) };
}

/** The elements of `body` (a copy of the data, so typed views are aligned). */
function decode(body: Uint8Array, count: number, dtype: NpyDtype, fail: (what: string) => never): NpyArray['data'] {
  if (dtype === 'uint8') return body;
  if (dtype === 'float32') return new Float32Array(body.buffer, 0, count);
  if (dtype === 'int32') return new Int32Array(body.buffer, 0, count);
  const wide = new BigInt64Array(body.buffer, 0, count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = wide[i]!;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) fail(`int64 value ${v} at index ${i} is too large`);
    out[i] = Number(v);
  }
  return out;
}

/** Reads the header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 784), }. */
function parseHeader(header: string, fail: (what: string) => never): { descr: string; fortran: boolean; shape: number[] } {
  const text = header.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) fail(`the header is not a dict: ${JSON.stringify(text.slice(0, 60))}`);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1] ?? fail("the header has no 'descr' string");
  const fortranText = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1] ?? fail("the header has no 'fortran_order' True/False");
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1] ?? fail("the header has no 'shape' tuple");
  const parts = shapeText.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const shape = parts.map((p) => {
    const d = Number(p);
    if (!/^\d+$/.test(p) || !Number.isSafeInteger(d)) fail(`shape (${shapeText}) has a bad dimension "${p}"`);
    return d;
  });
  return { descr, fortran: fortranText === 'True', shape };
}

/** Largest .npy file we read. */
const MAX_BYTES = 2 ** 31;

/** Reads a .npy file: its header is checked against its size before the data is read. */
export function readNpy(file: string): NpyArray {
  const check = { headBytes: NPY_HEAD_BYTES, layout: (head: Uint8Array, size: number) => npyLayout(head, size, file) };
  return parseNpy(readInputFile(file, { what: 'a .npy array', maxBytes: MAX_BYTES, check }), file);
}
