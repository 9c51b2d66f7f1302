// The PyTorch peer: runs bench/pytorch_step.py (the same semi-supervised iteration in PyTorch eager) with the first
// Python that has torch installed, on the CPU with a given thread count or on the GPU, or reports why it could not.
// On the CPU it is measured at its best settings: OpenBLAS picks its kernel from the CPU it detects and 0.3.21
// misdetects recent Xeons, so every OPENBLAS_CORETYPE candidate's GEMM rate is probed first (--gemm-only) and the
// step runs with the fastest, set for that process only. The result records the BLAS library loaded and its kernel.
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
  blas_libraries?: string[];
  openblas_core?: string | null;
  openblas_coretype_env?: string | null;
  gemm_100x1000x1000_gflops?: number | null;
  /** Each OPENBLAS_CORETYPE tried ('' = OpenBLAS's own detection) with the kernel it loaded and its GEMM rate. */
  coretype_probe?: { coretype: string; core: string | null; gflops: number | null }[];
}

const PYTHONS = ['python3', '/usr/bin/python3', 'python'];

/** OpenBLAS kernels worth trying on x86-64 ('' = its own detection), best-known first. */
const CORETYPES = ['', 'SAPPHIRERAPIDS', 'COOPERLAKE', 'SKYLAKEX', 'ZEN', 'HASWELL'];

/** bench/pytorch_step.py of this package (the same path from ts/gpu/ and dist/gpu/). */
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'pytorch_step.py');

function findPython(): string | undefined {
  return PYTHONS.find((python) => spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
}

function runScript(python: string, args: string[], coretype: string): { ok: true; json: Record<string, unknown> } | { ok: false; error: string } {
  const env = { ...process.env };
  if (coretype) env['OPENBLAS_CORETYPE'] = coretype;
  else delete env['OPENBLAS_CORETYPE'];
  const r = spawnSync(python, [SCRIPT, ...args], { encoding: 'utf8', timeout: 600_000, env });
  if (r.status !== 0) return { ok: false, error: `${python} bench/pytorch_step.py failed: ${r.stderr.trim().split('\n').pop()}` };
  return { ok: true, json: JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown> };
}

/**
 * Times the PyTorch iteration. On the CPU, `coretype` (an OPENBLAS_CORETYPE, '' for OpenBLAS's own detection) skips
 * the probe: pass the one a first call chose (its openblas_coretype_env) to time later rounds alike.
 */
export function runPytorchStep(options: { device: 'cpu' | 'cuda'; threads: number; iters: number; coretype?: string }): PytorchResult | { skipped: string } {
  if (!existsSync(SCRIPT)) return { skipped: `${SCRIPT} is missing` };
  const python = findPython();
  if (!python) return { skipped: `no Python with torch found (tried ${PYTHONS.join(', ')}; on Debian: apt-get install python3-torch libopenblas0-openmp)` };
  const threads = ['--threads', String(options.threads)];
  let best = options.coretype ?? '';
  const probe: NonNullable<PytorchResult['coretype_probe']> = [];
  if (options.device === 'cpu' && options.coretype === undefined) {
    let bestRate = -1;
    for (const coretype of CORETYPES) {
      const r = runScript(python, ['--device', 'cpu', ...threads, '--gemm-only'], coretype);
      if (!r.ok) continue;
      const gflops = r.json['gemm_100x1000x1000_gflops'] as number | null;
      const core = r.json['openblas_core'] as string | null;
      if (coretype && core === null) break; // not OpenBLAS: the core type means nothing
      probe.push({ coretype, core, gflops });
      if ((gflops ?? 0) > bestRate) [best, bestRate] = [coretype, gflops ?? 0];
    }
  }
  const r = runScript(python, ['--device', options.device, ...threads, '--iters', String(options.iters)], best);
  if (!r.ok) return { skipped: r.error };
  return { ...(r.json as unknown as PytorchResult), ...(probe.length ? { coretype_probe: probe } : {}) };
}
