// The PyTorch peer: runs bench/pytorch_step.py (the same semi-supervised iteration in PyTorch eager) with the first
// Python that has torch installed, on the CPU with a given thread count or on the GPU, or reports why it could not.
// Used by `npm run bench` (CPU) and `npm run gpu:verify` (CUDA), so it lives with the library's built outputs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PytorchResult {
  framework: string;
  blas: string;
  device: string;
  ms_median: number;
  ms_p10: number;
  ms_p90: number;
}

const PYTHONS = ['python3', '/usr/bin/python3', 'python'];

/** bench/pytorch_step.py of this package (the same path from ts/gpu/ and dist/gpu/). */
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'pytorch_step.py');

export function runPytorchStep(options: { device: 'cpu' | 'cuda'; threads: number; iters: number }): PytorchResult | { skipped: string } {
  if (!existsSync(SCRIPT)) return { skipped: `${SCRIPT} is missing` };
  for (const python of PYTHONS) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const r = spawnSync(python, [SCRIPT, '--device', options.device, '--threads', String(options.threads), '--iters', String(options.iters)], {
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (r.status !== 0) return { skipped: `${python} bench/pytorch_step.py failed: ${r.stderr.trim().split('\n').pop()}` };
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as PytorchResult;
  }
  return { skipped: `no Python with torch found (tried ${PYTHONS.join(', ')}; on Debian: apt-get install python3-torch libopenblas0-pthread)` };
}
