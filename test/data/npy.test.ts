// The .npy reader (ts/data/npy.ts): valid arrays of each supported dtype and format version, one clear error naming
// the file for every malformed preamble, header or size, and a fuzz run: any bytes give an array or a DataError.
import fc from 'fast-check';
import t from 'tap';
import { DataError } from '../../ts/data/idx.js';
import { parseNpy } from '../../ts/data/npy.js';
import { bytesOf, npyBytes } from '../helpers/npy.js';

t.test('reads uint8, float32, int32 and int64 arrays in format versions 1, 2 and 3', async (t) => {
  const u8 = parseNpy(npyBytes('|u1', [2, 3], Uint8Array.of(1, 2, 3, 4, 5, 255)), 'a.npy');
  t.same([u8.dtype, u8.shape, [...u8.data]], ['uint8', [2, 3], [1, 2, 3, 4, 5, 255]]);
  const f32 = parseNpy(npyBytes('<f4', [3], bytesOf(Float32Array.of(0.5, 0, 1))), 'b.npy');
  t.same([f32.dtype, [...f32.data]], ['float32', [0.5, 0, 1]]);
  const i32 = parseNpy(npyBytes('<i4', [2], bytesOf(Int32Array.of(7, -2)), { version: 2 }), 'c.npy');
  t.same([i32.dtype, [...i32.data]], ['int32', [7, -2]]);
  const i64 = parseNpy(npyBytes('<i8', [2], bytesOf(BigInt64Array.of(9n, 3n)), { version: 3 }), 'd.npy');
  t.same([i64.dtype, [...i64.data]], ['int64', [9, 3]]);
  const scalar = parseNpy(npyBytes('<f4', [], bytesOf(Float32Array.of(2))), 'e.npy');
  t.same([scalar.shape, [...scalar.data]], [[], [2]]);
});

t.test('every malformed file is one clear error naming it', async (t) => {
  const ok = npyBytes('|u1', [2], Uint8Array.of(1, 2));
  const cases: [string, Uint8Array, RegExp][] = [
    ['short', ok.subarray(0, 5), /^f\.npy: not a valid \.npy file: expected at least a 10-byte preamble, found 5 bytes$/],
    ['magic', Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x58, 1, 0, 0, 0]), /bad magic string/],
    ['version', Uint8Array.from([...ok.subarray(0, 6), 4, 0, 0, 0]), /format version 4\.0 is not supported; expected 1\.0, 2\.0 or 3\.0/],
    ['header length', ok.subarray(0, 30), /the header claims \d+ bytes but the file has 20 after the preamble/],
    ['dtype', npyBytes('>f8', [1], new Uint8Array(8)), /dtype '>f8' is not supported; expected one of \|u1, <u1, <f4, <i4, <i8/],
    ['fortran', npyBytes('|u1', [1, 2], Uint8Array.of(1, 2), { fortran: true }), /fortran_order is True; expected C-order data/],
    ['no dict', npyBytes('|u1', [1], Uint8Array.of(1), { header: 'hello' }), /the header is not a dict: "hello"/],
    ['no descr', npyBytes('|u1', [1], Uint8Array.of(1), { header: "{'fortran_order': False, 'shape': (1,), }" }), /the header has no 'descr' string/],
    ['no shape', npyBytes('|u1', [1], Uint8Array.of(1), { header: "{'descr': '|u1', 'fortran_order': False, }" }), /the header has no 'shape' tuple/],
    ['bad dim', npyBytes('|u1', [1], Uint8Array.of(1), { header: "{'descr': '|u1', 'fortran_order': False, 'shape': (-3,), }" }), /shape \(-3,\) has a bad dimension "-3"/],
    ['truncated', npyBytes('<f4', [2, 2], new Uint8Array(12)), /truncated: shape \(2, 2\) of float32 needs 16 bytes of data, found 12/],
    ['trailing', npyBytes('|u1', [2], Uint8Array.of(1, 2, 3)), /shape \(2\) of uint8 needs 2 bytes of data, but the file has 1 trailing bytes/],
  ];
  for (const [name, bytes, message] of cases) {
    t.throws(() => parseNpy(bytes, 'f.npy'), { name: 'DataError', message }, name);
  }
});

t.test('fuzz: arbitrary and mutated bytes give an array or a DataError, never anything else', async (t) => {
  const valid = npyBytes('<f4', [2, 3], bytesOf(Float32Array.of(1, 2, 3, 4, 5, 6)));
  const check = (bytes: Uint8Array) => {
    try {
      const a = parseNpy(bytes, 'fuzz.npy');
      return a.data.length === a.shape.reduce((p, q) => p * q, 1);
    } catch (e) {
      return e instanceof DataError && e.message.startsWith('fuzz.npy: ');
    }
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { numRuns: 2000 });
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(valid.length), (edits, cut) => {
    const bytes = valid.slice(0, Math.max(cut, 10));
    for (const [i, v] of edits) if (i < bytes.length) bytes[i] = v;
    return check(bytes);
  }), { numRuns: 3000 });
  t.pass('5000 cases');
});
