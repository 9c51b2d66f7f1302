// Builds .npy bytes (numpy.lib.format) for tests: version 1.0 by default, header padded to a multiple of 64.
export function npyBytes(descr: string, shape: number[], data: Uint8Array, options: { version?: number; fortran?: boolean; header?: string } = {}): Uint8Array {
  const version = options.version ?? 1;
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = options.header ?? `{'descr': '${descr}', 'fortran_order': ${options.fortran ? 'True' : 'False'}, 'shape': (${dims}), }`;
  const lengthBytes = version === 1 ? 2 : 4;
  const pad = 64 - ((8 + lengthBytes + header.length + 1) % 64);
  header = `${header}${' '.repeat(pad % 64)}\n`;
  const out = new Uint8Array(8 + lengthBytes + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), 8 + lengthBytes);
  out.set(data, 8 + lengthBytes + header.length);
  return out;
}

export const bytesOf = (a: Float32Array | Int32Array | BigInt64Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
