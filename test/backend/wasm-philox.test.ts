// The AssemblyScript Philox4x32-10 (asm/philox.ts) against Random123's known-answer vectors, in both builds.
import t from 'tap';
import { loadWasmModule } from '../../ts/backend/wasm/loader.js';

const KAT: [number[], number[], number[]][] = [
  [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
  [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
];

for (const simd of ['relaxed', 'plain'] as const) {
  t.test(`${simd} build: philoxBlock matches the known-answer vectors`, async (t) => {
    const { module } = loadWasmModule(simd);
    const memory = new WebAssembly.Memory({ initial: 17, maximum: 65536, shared: true });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...a: number[]) => void>;
    const out = 65536;
    for (const [ctr, key, want] of KAT) {
      exports['philoxBlock']!(...ctr, ...key, out);
      t.same([...new Uint32Array(memory.buffer, out, 4)], want, `ctr ${ctr.map((x) => x.toString(16))}`);
    }
  });
}
