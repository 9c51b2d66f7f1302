// Our own reader and writer of the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON header {name: {dtype, shape, data_offsets: [begin, end]},
// "__metadata__": {string: string}}, then the raw little-endian data (offsets relative to its start). Only F32
// tensors are written and read. Every malformed input is one DataError naming the file and what was expected.
import { DataError } from '../data/idx.js';

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * A tensor whose values are read while the file is assembled (downloaded from a backend, say), so that one tensor at
 * a time is held beside the file's bytes, not a copy of them all.
 */
export interface LazyTensor {
  name: string;
  shape: number[];
  read(): Float32Array;
}

export interface SafetensorsFile {
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
  metadata: Record<string, string>;
}

/** Largest header we accept (the format's own readers cap it at 100 MB). */
const MAX_HEADER = 100_000_000;

/** The file's bytes in one array (see safetensorsChunks). */
export function encodeSafetensors(tensors: (NamedTensor | LazyTensor)[], metadata: Record<string, string> = {}): Uint8Array {
  const chunks = [...safetensorsChunks(tensors, metadata)];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The file as chunks: the length and header first, then each tensor's bytes, a lazy tensor read only when its chunk
 * is taken; written one by one (util/atomic.ts writeChunksAtomic), a checkpoint is never held whole in memory.
 */
export function* safetensorsChunks(tensors: (NamedTensor | LazyTensor)[], metadata: Record<string, string> = {}): Generator<Uint8Array> {
  // A null-prototype object: tensor names such as "constructor" or "__proto__" are ordinary keys.
  const header = Object.create(null) as Record<string, unknown>;
  header['__metadata__'] = metadata;
  let offset = 0;
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if ('data' in t) valuesOf(t, size);
    if (Object.hasOwn(header, t.name)) throw new RangeError(`safetensors: duplicate or reserved tensor name ${t.name}`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // the data starts 8-byte aligned
  const head = new TextEncoder().encode(json);
  const start = new Uint8Array(8 + head.length);
  new DataView(start.buffer).setBigUint64(0, BigInt(head.length), true);
  start.set(head, 8);
  yield start;
  for (const t of tensors) {
    const data = valuesOf(t, t.shape.reduce((a, b) => a * b, 1));
    // Float32Array is little-endian on every platform Node runs on; the bytes go out as they are.
    yield new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
}

/** A tensor's values, checked to number `size`. */
function valuesOf(t: NamedTensor | LazyTensor, size: number): Float32Array {
  const data = 'data' in t ? t.data : t.read();
  if (size !== data.length) throw new RangeError(`safetensors: ${t.name} has shape [${t.shape}] but ${data.length} values`);
  return data;
}

export function decodeSafetensors(bytes: Uint8Array, file: string): SafetensorsFile {
  const fail = (what: string): never => {
    throw new DataError(`${file}: not a valid safetensors file: ${what}`);
  };
  if (bytes.length < 8) fail(`expected an 8-byte header length, found ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) {
    fail(`header length ${headerLength} exceeds the ${bytes.length - 8} bytes that follow it`);
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || Object.values(entry).some((v) => typeof v !== 'string')) {
        fail('__metadata__ must map strings to strings');
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) fail(`tensor ${name}: entry is not an object`);
    if (e.dtype !== 'F32') fail(`tensor ${name}: dtype ${JSON.stringify(e.dtype)} is not supported; expected "F32"`);
    const shape = e.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      fail(`tensor ${name}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    }
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0)) {
      fail(`tensor ${name}: data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) fail(`tensor ${name}: data_offsets [${begin}, ${end}] lie outside the ${dataLength} data bytes`);
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== 4 * size) fail(`tensor ${name}: shape [${shape}] needs ${4 * size} bytes, data_offsets give ${end - begin}`);
    if (end > begin) spans.push([begin, end, name]); // an empty tensor overlaps nothing
    tensors.set(name, { shape: shape as number[], data: float32At(bytes, dataStart + begin, size) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1]) fail(`tensors ${spans[i - 1]![2]} and ${spans[i]![2]} overlap`);
  }
  return { tensors, metadata };
}

/**
 * `size` float32 values at bytes[at..]: a view of `bytes` where the offset is 4-byte aligned (every tensor of a file
 * encodeSafetensors writes), so a checkpoint is held once, not twice; a copy elsewhere.
 */
function float32At(bytes: Uint8Array, at: number, size: number): Float32Array {
  if ((bytes.byteOffset + at) % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset + at, size);
  const data = new Float32Array(size);
  new Uint8Array(data.buffer).set(bytes.subarray(at, at + 4 * size));
  return data;
}
