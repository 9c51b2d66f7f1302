// CUDA backend selection and its errors, everywhere; the GPU op checks run only where a GPU is usable (they are
// also part of `npm run gpu:verify`).
import { existsSync } from 'node:fs';
import t from 'tap';
import { BackendError } from '../../ts/backend/backend.js';
import { cpuStatus } from '../../ts/backend/cpu/index.js';
import { addonCandidates, createCudaBackend, cudaStatus } from '../../ts/backend/cuda/index.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { createBackend } from '../../ts/backend/select.js';
import { firstMismatch, randomArray } from '../helpers/data.js';

const status = cudaStatus();

t.test('cudaStatus says why CUDA cannot be used, with a fix', async (t) => {
  if (status.ok) {
    t.pass(`CUDA is usable here: ${status.device}`);
    return;
  }
  const built = addonCandidates().some((f) => existsSync(f));
  t.match(status.reason, built ? /no usable CUDA driver|no CUDA device|compute capability/ : /the CUDA addon is not built/);
  t.match(status.fix, /--backend=wasm/);
});

t.test("createBackend('cuda') without a usable GPU throws one line with the reason and the fix", async (t) => {
  if (status.ok) {
    t.pass('CUDA is usable here');
    return;
  }
  await t.rejects(createBackend('cuda'), new BackendError(`cuda: ${status.reason}; ${status.fix}`));
  t.throws(() => createCudaBackend({ device: 0 }), { message: /^cuda: [^\n]+$/ });
});

t.test("'auto' falls back to the native CPU backend, or to Wasm, and logs one line saying why", async (t) => {
  const lines: string[] = [];
  const be = await createBackend('auto', { threads: 1, log: (l) => lines.push(l) });
  const info = be.info();
  be.dispose();
  if (status.ok) {
    t.equal(info.name, 'cuda');
    return;
  }
  const cpu = cpuStatus();
  t.equal(info.name, cpu.ok ? 'cpu' : 'wasm');
  t.equal(lines.length, 1);
  t.match(lines[0], cpu.ok ? /^backend: using native CPU .* CUDA unavailable \(.+\)$/ : /^backend: using WebAssembly .* CUDA unavailable \(.+\); native CPU unavailable \(.+\)/);
});

t.test('CUDA ops match the reference (needs a GPU)', { skip: status.ok ? false : `no usable GPU: ${status.ok ? '' : status.reason}` }, async (t) => {
  const cuda = createCudaBackend();
  const ref = new ReferenceBackend();
  for (const [M, K, N] of [[7, 13, 1], [100, 784, 1000], [33, 65, 17]] as [number, number, number][]) {
    const run = (be: typeof cuda) => {
      const a = be.tensor([M, K], randomArray(M * K, 1));
      const b = be.tensor([N, K], randomArray(N * K, 2));
      const c = be.tensor([M, N], randomArray(M * N, 3));
      be.matmul(a, b, c, { transB: true, accumulate: true, activation: 'sigmoid' });
      return be.download(c);
    };
    t.equal(firstMismatch(run(cuda), run(ref), 1e-5, 1e-4), null, `matmul (${M},${K},${N})`);
  }
  cuda.dispose();
});
