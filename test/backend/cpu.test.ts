// The native CPU backend (native/src/cpu/, --backend=cpu): selection and its errors everywhere; where the addon is
// built (always in CI, which builds it with the system compiler), gpu:verify's checks with the CPU backend in
// CUDA's place: every op against the float64 reference, every model against the reference (small nets) and Wasm
// (full size), graph replay against eager. The GEMM is the only kernel with per-instruction-set code, so the other
// instruction sets this CPU has get the op checks alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { BackendError } from '../../ts/backend/backend.js';
import { CPU_ISAS, type CpuIsa, cpuStatus, createCpuBackend } from '../../ts/backend/cpu/index.js';
import { cudaStatus } from '../../ts/backend/cuda/index.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { createBackend } from '../../ts/backend/select.js';
import { defaultConfig } from '../../ts/models/config.js';
import { benchModel } from '../../bench/iteration.js';

const status = cpuStatus();
const skip = status.ok ? false : `the CPU addon is not usable here: ${status.ok ? '' : status.reason}`;

t.test('in CI the CPU addon is built and loads', { skip: process.env.CI === 'true' ? false : 'not in CI' }, async (t) => {
  t.ok(status.ok, status.ok ? `best instruction set ${status.isa}` : status.reason);
});

t.test("'auto' picks the CPU backend where CUDA is unusable, saying why in one line", { skip }, async (t) => {
  if (cudaStatus().ok) {
    t.pass('CUDA is usable here');
    return;
  }
  const lines: string[] = [];
  const be = await createBackend('auto', { threads: 1, log: (l) => lines.push(l) });
  const info = be.info();
  be.dispose();
  t.equal(info.name, 'cpu');
  t.same(lines.length, 1);
  t.match(lines[0], /^backend: using native CPU \(.+\), 1 thread: CUDA unavailable \(.+\)$/);
});

t.test('bad CPU options are one line naming the option', async (t) => {
  t.throws(() => createCpuBackend({ threads: 0 }), new BackendError('cpu: threads must be an integer in [1, 256], got 0'));
  t.throws(() => createCpuBackend({ isa: 'sse9' as never }), new BackendError('cpu: isa must be one of avx512, avx2, portable, got "sse9"'));
});

t.test('tensors of another backend are refused', { skip }, async (t) => {
  const a = createCpuBackend({ threads: 1 });
  const b = createCpuBackend({ threads: 1 });
  const x = a.tensor([2, 2]);
  t.throws(() => b.fill(x, 1), { name: 'BackendError' });
  a.dispose();
  b.dispose();
});

t.test('the same seed gives bit-identical weights with AVX-512 or AVX2 and with 1 or 2 threads', { skip }, async (t) => {
  // Every output element is summed in the same order whatever the micro-kernel's width or the thread split (the
  // depth in KC-blocks, in order, by FMA), and the other kernels are shared scalar C++: a run reproduces bit for bit
  // across x86-64 machines with FMA. The portable build (no FMA) rounds differently.
  const config = { ...defaultConfig('semi'), hidden: 128, augment: { translate: 2, height: 28, width: 28 }, vat: { eps: 2, xi: 0.1, weight: 1, entropyWeight: 1 } };
  const weights = (isa: CpuIsa, threads: number) => {
    const be = createCpuBackend({ threads, isa });
    const { model, batch, rng } = benchModel(be, config);
    for (let i = 0; i < 3; i++) model.step(batch, rng);
    const bytes = model.parameters().map((p) => Buffer.from(be.download(p.value).buffer));
    be.dispose();
    return Buffer.concat(bytes);
  };
  const runs = (['avx512', 'avx2'] as const).filter((isa) => createCpuSupports(isa)).flatMap((isa) => [1, 2].map((threads) => ({ name: `${isa}, ${threads} thread(s)`, w: weights(isa, threads) })));
  t.ok(runs.length >= 2, `${runs.length} configurations on this CPU`);
  for (const r of runs.slice(1)) t.ok(r.w.equals(runs[0]!.w), `${r.name} equals ${runs[0]!.name}`);
  t.notOk(weights('portable', 2).equals(runs[0]!.w), 'the portable build (no FMA) differs: the check can fail');
});

t.test('random ops draw the reference words exactly: vector and scalar Philox paths, counters that carry past 2^32', { skip }, async (t) => {
  const cpu = createCpuBackend({ threads: 2 });
  const ref = new ReferenceBackend();
  for (const [n, offset] of [[1003, 2 ** 32 - 7], [100_000, 5], [64, 0], [67, 2 ** 40 + 3]] as const) {
    const rng = { seed: 2 ** 33 + 12345, offset };
    const run = (be: typeof cpu | ReferenceBackend) => {
      const x = be.tensor([n], Float32Array.from({ length: n }, (_, i) => (i % 7) - 3));
      const out = be.tensor([n]);
      const mask = be.tensor([n]);
      const u = be.tensor([n]);
      be.dropout(x, out, mask, { ...rng, p: 0.3 });
      be.randomUniform(u, rng);
      return [be.download(mask), be.download(out), be.download(u)];
    };
    const [a, b] = [run(cpu), run(ref)];
    t.same(Array.from(a[0]!), Array.from(b[0]!), `dropout mask, n ${n}, offset ${offset}`);
    t.same(Array.from(a[1]!), Array.from(b[1]!), `dropout output, n ${n}, offset ${offset}`);
    t.same(Array.from(a[2]!), Array.from(b[2]!), `uniform draws, n ${n}, offset ${offset}`);
  }
  cpu.dispose();
});

const verify = (t: Test, args: string[]) => {
  const dir = mkdtempSync(join(tmpdir(), 'aae-cpu-verify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/gpu/verify.ts', '--backend=cpu', ...args, '--out', dir], { encoding: 'utf8', timeout: 600_000 });
  t.equal(r.status, 0, `exit 0 (${r.stdout.split('\n').filter((l) => l.startsWith('FAIL')).join('; ')}${r.stderr.slice(-300)})`);
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { checks: { name: string; ok: boolean }[] };
};

t.test('every op, model and graph check passes with the best instruction set', { skip }, async (t) => {
  const results = verify(t, []);
  t.ok(results.checks.length > 100, `${results.checks.length} checks`);
  t.ok(results.checks.some((c) => c.name.startsWith('model semi') && c.name.includes('float64 reference')), 'includes model parity against the reference');
  t.ok(results.checks.some((c) => c.name.includes('replayed from a graph')), 'includes graph replay');
});

for (const isa of CPU_ISAS) {
  if (status.ok && isa === status.isa) continue;
  t.test(`every op check passes with ${isa}`, { skip: skip || (createCpuSupports(isa) ? false : `this CPU lacks ${isa}`) }, async (t) => {
    const results = verify(t, [`--isa=${isa}`, '--ops-only']);
    t.ok(results.checks.some((c) => c.name.startsWith('op matmul')), 'includes the GEMM checks');
  });
}

function createCpuSupports(isa: (typeof CPU_ISAS)[number]): boolean {
  try {
    createCpuBackend({ threads: 1, isa }).dispose();
    return true;
  } catch {
    return false;
  }
}
