// The kernel table (ts/backend/kernel-table.ts) against what the kernels really take: both addons' C++ unpacking of
// every op (which info[i] each argument is read from, and as what), the ops each addon registers, and the compiled
// Wasm exports' parameter counts. The TypeScript call sites are typed from the same table, so a mismatch anywhere
// fails here or in tsc.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { KERNELS, type KernelName } from '../../ts/backend/kernel-table.js';
import { type LoadedModule, loadWasmModule } from '../../ts/backend/wasm/loader.js';

const ADDONS = { cuda: 'native/src/addon.cc', cpu: 'native/src/cpu/addon.cc' } as const;
/** Device methods that are not ops of the table: storage, the Adam table, CUDA Graph capture, the CPU's peak probe. */
const NOT_OPS = new Set(['alloc', 'free', 'upload', 'download', 'dispose', 'adamTable', 'beginCapture', 'endCapture', 'abortCapture', 'launchGraph', 'destroyGraph', 'fmaPeak']);
/** Arguments an addon may leave unread (the table says why). */
const UNREAD: Record<keyof typeof ADDONS, Partial<Record<KernelName, string[]>>> = { cuda: {}, cpu: { adam: ['maxN'] } };

/** Every mismatch between an addon's source and the table, one line each (empty when they agree). */
function addonMismatches(source: string, addon: keyof typeof ADDONS): string[] {
  const problems: string[] = [];
  const registered = new Map<string, string>(); // JS name -> C++ method
  for (const m of source.matchAll(/InstanceMethod<&Device::(\w+)>\("(\w+)"\)/g)) registered.set(m[2]!, m[1]!);
  const bodies = new Map<string, string>(); // C++ method -> OP body
  const ops = source.split(/\n\s*OP\(/).slice(1);
  for (const op of ops) {
    const name = /^(\w+),/.exec(op)?.[1];
    if (name) bodies.set(name, op.split(/\n\s*(?:#undef|\/\/)/)[0]!);
  }
  for (const js of registered.keys()) if (!NOT_OPS.has(js) && !(js in KERNELS)) problems.push(`${addon}: registers "${js}", which is not in the kernel table`);
  for (const [name, spec] of Object.entries(KERNELS) as [KernelName, (typeof KERNELS)[KernelName]][]) {
    const method = registered.get(name);
    if (!method) {
      problems.push(`${addon}: does not register "${name}"`);
      continue;
    }
    const body = bodies.get(method);
    if (!body) {
      problems.push(`${addon}: no OP(${method}, ...) body`);
      continue;
    }
    const read = new Map<number, string>();
    for (const m of body.matchAll(/\b(ptr(?:<[^>]*>)?|i32|i64|u64|f64|flag)\(info\[(\d+)\]\)/g)) read.set(Number(m[2]), m[1]!.replace(/<.*>/, ''));
    spec.device.forEach((arg, i) => {
      const [argName, kind] = arg.split(': ') as [string, string];
      const got = read.get(i);
      if (got === undefined) {
        if (!UNREAD[addon][name]?.includes(argName)) problems.push(`${addon}: ${name} does not read argument ${i} (${arg})`);
      } else if (got !== kind) problems.push(`${addon}: ${name} reads argument ${i} (${argName}) as ${got}, the table says ${kind}`);
    });
    for (const i of read.keys()) if (i >= spec.device.length) problems.push(`${addon}: ${name} reads info[${i}], beyond its ${spec.device.length} arguments`);
  }
  return problems;
}

for (const [addon, file] of Object.entries(ADDONS) as [keyof typeof ADDONS, string][]) {
  t.test(`${file}: every op is registered and unpacks its arguments as the table says`, async (t) => {
    t.same(addonMismatches(readFileSync(file, 'utf8'), addon), []);
  });
}

t.test('the source check fails on a changed argument, a missing one and an op the table lacks', async (t) => {
  const source = readFileSync(ADDONS.cpu, 'utf8');
  const changed = source.replace('i32(info[5]), i32(info[6]),\n', 'i64(info[5]), i32(info[6]),\n');
  t.not(changed, source, 'the mutation applies');
  t.match(addonMismatches(changed, 'cpu'), [/gemm reads argument 5 \(N\) as i64, the table says i32/]);
  const dropped = source.replace('OP(Sum, sum(ptr(info[0]), i64(info[1]), ptr(info[2])))', 'OP(Sum, sum(ptr(info[0]), 0, ptr(info[2])))');
  t.match(addonMismatches(dropped, 'cpu'), [/sum does not read argument 1 \(n: i64\)/]);
  const extra = source.replace('InstanceMethod<&Device::Entropy>("entropy"),', 'InstanceMethod<&Device::Entropy>("entropy"), InstanceMethod<&Device::Entropy>("entropy2"),');
  t.match(addonMismatches(extra, 'cpu'), [/registers "entropy2", which is not in the kernel table/]);
});

/** A Wasm build's loaded module, or why it cannot load here. */
function wasmBuild(simd: 'plain' | 'relaxed'): { loaded: LoadedModule; skip: false } | { loaded: null; skip: string } {
  try {
    return { loaded: loadWasmModule(simd), skip: false };
  } catch (e) {
    return { loaded: null, skip: `the ${simd} build cannot load here: ${(e as Error).message}` };
  }
}

for (const simd of ['plain', 'relaxed'] as const) {
  const { loaded, skip } = wasmBuild(simd);
  t.test(`the ${simd} Wasm build exports every kernel with the table's parameter count`, { skip }, async (t) => {
    if (!loaded) return;
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 256, shared: true });
    const exports = new WebAssembly.Instance(loaded.module, { env: { memory, abort: () => {} } }).exports as Record<string, unknown>;
    for (const [name, spec] of Object.entries(KERNELS)) {
      const fn = exports[name];
      t.equal(typeof fn === 'function' ? fn.length : -1, spec.wasm.args.length + (spec.wasm.parallel ? 2 : 0), `${name}(${spec.wasm.args.join(', ')}${spec.wasm.parallel ? ', tid, nth' : ''})`);
    }
  });
}
