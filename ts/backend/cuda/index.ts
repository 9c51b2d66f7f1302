// Finds the CUDA addon and says in one line why it cannot be used. The addon (native/) is built by
// `npm run build:native` when nvcc is present; this loader never throws for a missing addon or GPU except from
// createCudaBackend, whose error names the reason and the fix.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Backend, BackendError } from '../backend.js';
import { CudaBackend, type CudaDevice } from './cuda-backend.js';

export interface CudaOptions {
  device?: number;
  tf32?: boolean;
}

export type CudaStatus = { ok: true; device: string } | { ok: false; reason: string; fix: string };

/** Where the built addon may be, relative to the package root (the same from ts/ and dist/). */
export function addonCandidates(): string[] {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return [join(root, 'build', 'native', 'Release', 'aae_cuda.node')];
}

interface Addon {
  deviceCount(): number;
  deviceInfo(device: number): { name: string; major: number; minor: number; totalMemory: number };
  Device: new (device: number) => CudaDevice;
}

/** The minimum compute capability the kernels are built for. */
const MIN_CAPABILITY = 7.5;

function probe(device: number): CudaStatus & { addon?: Addon } {
  const file = addonCandidates().find((f) => existsSync(f));
  if (!file) {
    return { ok: false, reason: 'the CUDA addon is not built', fix: 'install the CUDA toolkit (nvcc) and run `npm run build:native`, or use --backend=wasm' };
  }
  let addon: Addon;
  try {
    addon = createRequire(import.meta.url)(file) as Addon;
  } catch (e) {
    return { ok: false, reason: `the CUDA addon ${file} failed to load (${(e as Error).message.split('\n')[0]})`, fix: 'rebuild it with `npm run build:native`, or use --backend=wasm' };
  }
  let count: number;
  try {
    count = addon.deviceCount();
  } catch (e) {
    return { ok: false, reason: `no usable CUDA driver (${(e as Error).message})`, fix: 'install the NVIDIA driver, or use --backend=wasm' };
  }
  if (count === 0) return { ok: false, reason: 'no CUDA device found', fix: 'use --backend=wasm' };
  if (device >= count) return { ok: false, reason: `CUDA device ${device} does not exist (${count} found)`, fix: `use a device below ${count}` };
  const info = addon.deviceInfo(device);
  if (info.major + info.minor / 10 < MIN_CAPABILITY) {
    return { ok: false, reason: `${info.name} has compute capability ${info.major}.${info.minor}, below ${MIN_CAPABILITY}`, fix: 'use --backend=wasm' };
  }
  return { ok: true, device: `${info.name} (compute ${info.major}.${info.minor})`, addon };
}

/** Whether the CUDA backend can be used, and if not, why (for --backend=auto's one info line). */
export function cudaStatus(device = 0): CudaStatus {
  const s = probe(device);
  return s.ok ? { ok: true, device: s.device } : { ok: false, reason: s.reason, fix: s.fix };
}

export function createCudaBackend(options: CudaOptions = {}): Backend {
  const s = probe(options.device ?? 0);
  if (!s.ok) throw new BackendError(`cuda: ${s.reason}; ${s.fix}`);
  if (options.tf32) throw new BackendError('cuda: the TF32 tensor-core GEMM is not built yet; omit the tf32 option');
  const device = new s.addon!.Device(options.device ?? 0);
  return new CudaBackend(device, { device: s.device, reason: 'the CUDA addon is built and a CUDA device is present' });
}
