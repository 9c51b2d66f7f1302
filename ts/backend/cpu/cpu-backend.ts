// The native CPU backend: tensors are 64-byte-aligned host allocations of the CPU addon (native/src/cpu/), every op
// one call of its C++ kernels on a persistent thread pool, the GEMM's micro-kernel picked at run time from the
// instruction sets the CPU reports. The ops are DeviceBackend's (the same calls as the CUDA addon's); a captured
// step graph is CheckedBackend's recorded list of calls.
import { type BackendInfo } from '../backend.js';
import { DeviceBackend, type DeviceTensor, type NativeDevice } from '../device-backend.js';

export type CpuIsa = 'avx512' | 'avx2' | 'portable';

/** The CPU addon's Device: the shared ops plus the FMA peak probe. */
export interface CpuDevice extends NativeDevice {
  /** GFLOP/s of independent FMAs in registers on all the device's threads, over about `seconds` (0: no probe). */
  fmaPeak(isa: CpuIsa, seconds: number): number;
}

export class CpuBackend extends DeviceBackend {
  constructor(
    private readonly cpu: CpuDevice,
    private readonly description: { isa: CpuIsa; threads: number; reason: string },
  ) {
    super('cpu', cpu);
  }

  /** The FMA peak of this backend's instruction set on its threads, in GFLOP/s (0 for the portable build). */
  fmaPeakGflops(seconds = 1): number {
    return this.cpu.fmaPeak(this.description.isa, seconds);
  }

  info(): BackendInfo {
    const { isa, threads, reason } = this.description;
    const name = { avx512: 'AVX-512', avx2: 'AVX2 + FMA', portable: 'portable C++' }[isa];
    return { name: 'cpu', device: `native CPU (${name}), ${threads} thread${threads > 1 ? 's' : ''}`, threads, simd: isa, reason };
  }

  // Row indices are checked before the copy (host memory: reading them is a memcpy of `count` floats), so a bad index
  // is an error naming it, never a read outside src.
  protected override kGatherRows(src: DeviceTensor, indices: DeviceTensor, out: DeviceTensor, srcRows: number, cols: number, first: number, count: number): void {
    const idx = this.device.download(indices.ptr + 4 * first, count);
    for (let i = 0; i < count; i++) {
      const row = idx[i]!;
      if (!Number.isInteger(row) || row < 0 || row >= srcRows) {
        this.fail('gatherRows', `indices[${first + i}] = ${row} is not a row of src (expected an integer in [0, ${srcRows}))`);
      }
    }
    super.kGatherRows(src, indices, out, srcRows, cols, first, count);
  }
}
