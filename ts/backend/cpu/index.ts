// Finds the CPU addon (native/src/cpu/, built by `npm run build:native` with the system C++ compiler) and says in
// one line why it cannot be used; createCpuBackend's error names the reason and the fix.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendError } from '../backend.js';
import { CpuBackend, type CpuDevice, type CpuIsa } from './cpu-backend.js';

export { CpuBackend, type CpuIsa } from './cpu-backend.js';
export const CPU_ISAS: readonly CpuIsa[] = ['avx512', 'avx2', 'portable'];

export interface CpuOptions {
  /** Threads including the calling one; default: the available cores. */
  threads?: number;
  /** The GEMM's instruction set; default: the best the CPU reports. */
  isa?: CpuIsa;
}

export type CpuStatus = { ok: true; isa: CpuIsa } | { ok: false; reason: string; fix: string };

interface Addon {
  bestIsa(): CpuIsa;
  isaSupported(isa: string): boolean;
  Device: new (threads: number, isa: CpuIsa) => CpuDevice;
}

/** Where the built addon is, relative to the package root (the same from ts/ and dist/). */
export function cpuAddonPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'build', 'native', 'Release', 'aae_cpu.node');
}

function probe(): { ok: true; addon: Addon } | { ok: false; reason: string; fix: string } {
  const file = cpuAddonPath();
  if (!existsSync(file)) {
    return { ok: false, reason: 'the CPU addon is not built', fix: 'install cmake and a C++ compiler, then run `npm run build:native` (in this repository) or `npm rebuild aae-ts` (as a dependency), or use --backend=wasm' };
  }
  try {
    return { ok: true, addon: createRequire(import.meta.url)(file) as Addon };
  } catch (e) {
    return { ok: false, reason: `the CPU addon ${file} failed to load (${(e as Error).message.split('\n')[0]})`, fix: 'rebuild it with `npm run build:native`, or use --backend=wasm' };
  }
}

/** Whether the CPU backend can be used, and if not, why (for --backend=auto's one info line). */
export function cpuStatus(): CpuStatus {
  const s = probe();
  return s.ok ? { ok: true, isa: s.addon.bestIsa() } : s;
}

export function createCpuBackend(options: CpuOptions = {}): CpuBackend {
  const threads = options.threads ?? os.availableParallelism();
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new BackendError(`cpu: threads must be an integer in [1, 256], got ${String(options.threads)}`);
  }
  if (options.isa !== undefined && !CPU_ISAS.includes(options.isa)) {
    throw new BackendError(`cpu: isa must be one of ${CPU_ISAS.join(', ')}, got ${JSON.stringify(options.isa)}`);
  }
  const s = probe();
  if (!s.ok) throw new BackendError(`cpu: ${s.reason}; ${s.fix}`);
  const best = s.addon.bestIsa();
  const isa = options.isa ?? best;
  if (!s.addon.isaSupported(isa)) throw new BackendError(`cpu: this CPU does not support ${isa} (its best is ${best})`);
  const reason = options.isa ? `instruction set ${isa} as asked` : `${isa} is the best instruction set this CPU reports`;
  return new CpuBackend(new s.addon.Device(threads, isa), { isa, threads, reason });
}
