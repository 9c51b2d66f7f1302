// Our safetensors reader/writer: round trips, one clear error per malformed input, and a property-based fuzz
// (fast-check, >= 10 000 cases) showing that no input makes the reader fail other than with a DataError.
import fc from 'fast-check';
import t from 'tap';
import { DataError } from '../../ts/data/idx.js';
import { decodeSafetensors, encodeSafetensors } from '../../ts/train/safetensors.js';

/** A file from a header object and raw data bytes, header length written as given. */
function file(header: unknown, data: Uint8Array = new Uint8Array(0), headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

t.test('round trip with metadata, empty and scalar-like tensors', async (t) => {
  const tensors = [
    { name: 'Q.lin1.weight', shape: [3, 2], data: Float32Array.of(1, -2, 3.5, 0, 1e-30, -7) },
    { name: 'Q.lin1.bias', shape: [3], data: Float32Array.of(0.25, 0.5, 0.75) },
    { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
  ];
  const bytes = encodeSafetensors(tensors, { aae: '{"x":1}' });
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  t.equal((8 + headerLength) % 8, 0, 'data starts 8-byte aligned');
  const back = decodeSafetensors(bytes, 'f.safetensors');
  t.same(back.metadata, { aae: '{"x":1}' });
  for (const x of tensors) t.same({ shape: back.tensors.get(x.name)!.shape, data: [...back.tensors.get(x.name)!.data] }, { shape: x.shape, data: [...x.data] }, x.name);
});

t.test('malformed files: one DataError naming the file and the problem', async (t) => {
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const eight = new Uint8Array(8);
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', Uint8Array.of(1, 2, 3), /expected an 8-byte header length, found 3 bytes/],
    ['header length too large', file(ok, eight, 10_000), /header length 10000 exceeds the \d+ bytes that follow it/],
    ['bad JSON', file('{"a": [', eight), /header is not valid UTF-8 JSON/],
    ['not an object', file('[1,2]'), /header is not a JSON object/],
    ['wrong dtype', file({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, eight), /tensor a: dtype "F16" is not supported; expected "F32"/],
    ['bad shape', file({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 8] } }, eight), /tensor a: shape \[-1\] is not a list of non-negative integers/],
    ['offsets out of bounds', file({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, eight), /tensor a: data_offsets \[0, 16\] lie outside the 8 data bytes/],
    ['size mismatch', file({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, eight), /tensor a: shape \[3\] needs 12 bytes, data_offsets give 8/],
    ['overlap', file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eight), /tensors a and b overlap/],
    ['bad metadata', file({ __metadata__: { x: 1 } }), /__metadata__ must map strings to strings/],
  ];
  for (const [name, bytes, message] of cases) {
    t.throws(() => decodeSafetensors(bytes, 'ck.safetensors'), { name: 'DataError', message: new RegExp(`^ck\\.safetensors: not a valid safetensors file: ${message.source}`) }, name);
  }
});

t.test('fuzz: encode/decode round trips and no input breaks the reader (10 000+ cases)', async (t) => {
  const tensor = fc.record({
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
    seed: fc.integer(),
  });
  fc.assert(
    fc.property(fc.uniqueArray(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('constructor', '__proto__', 'toString')).filter((s) => s !== '__metadata__'), { maxLength: 5 }), fc.array(tensor, { minLength: 5, maxLength: 5 }), (names, specs) => {
      const tensors = names.map((name, i) => {
        const { shape, seed } = specs[i]!;
        const n = shape.reduce((a, b) => a * b, 1);
        return { name, shape, data: Float32Array.from({ length: n }, (_, k) => Math.fround(Math.sin(seed + k) * 1e3)) };
      });
      const back = decodeSafetensors(encodeSafetensors(tensors), 'f');
      return tensors.every((x) => {
        const y = back.tensors.get(x.name)!;
        return y.shape.join() === x.shape.join() && y.data.every((v, k) => Object.is(v, x.data[k]));
      });
    }),
    { numRuns: 4000 },
  );
  const valid = encodeSafetensors([{ name: 'w', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }], { aae: '{}' });
  const onlyDataErrors = (bytes: Uint8Array) => {
    try {
      decodeSafetensors(bytes, 'f');
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
    }
  };
  // Random bytes, and valid files with bytes overwritten, truncated or extended.
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => onlyDataErrors(bytes)), { numRuns: 3000 });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(valid.length), fc.uint8Array({ maxLength: 16 }), (edits, cut, extra) => {
      const bytes = valid.slice();
      for (const [at, v] of edits) bytes[at] = v;
      onlyDataErrors(bytes);
      onlyDataErrors(valid.subarray(0, cut));
      onlyDataErrors(Uint8Array.from([...valid, ...extra]));
    }),
    { numRuns: 3500 },
  );
  t.pass('10 500 fuzz cases');
});

t.test('a decoded tensor views the file bytes where aligned (no second copy), and is a copy where not', async (t) => {
  const tensors = [{ name: 'w', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }];
  const bytes = encodeSafetensors(tensors);
  t.equal(decodeSafetensors(bytes, 'f').tensors.get('w')!.data.buffer, bytes.buffer, 'a view of the file');
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const unaligned = decodeSafetensors(shifted.subarray(1), 'f').tensors.get('w')!.data;
  t.not(unaligned.buffer, shifted.buffer, 'a copy');
  t.same([...unaligned], [1, 2, 3, 4, 5, 6]);
});

t.test('lazily read tensors are read once each, in order; a wrong size or a read that throws aborts the file', async (t) => {
  const read: string[] = [];
  const lazy = (name: string, values: number[]) => ({ name, shape: [values.length], read: () => (read.push(name), Float32Array.from(values)) });
  const bytes = encodeSafetensors([lazy('a', [1, 2]), { name: 'b', shape: [1], data: Float32Array.of(3) }, lazy('c', [4])]);
  t.same(read, ['a', 'c']);
  const back = decodeSafetensors(bytes, 'f').tensors;
  t.same(['a', 'b', 'c'].map((n) => [...back.get(n)!.data]), [[1, 2], [3], [4]]);
  t.throws(() => encodeSafetensors([lazy('a', [1, 2, 3]), { name: 'b', shape: [2], read: () => Float32Array.of(1) }]), { message: 'safetensors: b has shape [2] but 1 values' });
  t.throws(() => encodeSafetensors([{ name: 'x', shape: [1], read: () => { throw new Error('diverged'); } }]), { message: 'diverged' });
});
