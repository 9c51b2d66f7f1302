// The CUDA backend: tensors are device allocations (cudaMalloc, once, at tensor()), every op is one call into the
// addon (native/src/addon.cc) that enqueues kernels on the device's single stream, and download synchronises.
// The ops are DeviceBackend's; this class adds CUDA Graph capture.
import { type BackendInfo, type GraphShift, type StepGraph } from '../backend.js';
import { DeviceBackend, type NativeDevice } from '../device-backend.js';

/** The CUDA addon's Device (native/src/addon.cc): the shared ops plus CUDA stream capture. */
export interface CudaDevice extends NativeDevice {
  /** CUDA stream capture: ops enqueued between beginCapture and endCapture form one CUDA Graph (returns its id). */
  beginCapture(): void;
  endCapture(): number;
  abortCapture(): void;
  /** Sets the device-side shift (random offsets, Adam steps) and launches graph `id` on the stream. */
  launchGraph(id: number, rngShift: number, stepShift: number): void;
  destroyGraph(id: number): void;
}


export class CudaBackend extends DeviceBackend {
  constructor(
    private readonly cuda: CudaDevice,
    private readonly description: { device: string; reason: string },
  ) {
    super('cuda', cuda);
  }

  info(): BackendInfo {
    return { name: 'cuda', device: this.description.device, threads: 1, simd: 'none', reason: this.description.reason };
  }

  // CUDA Graphs: the ops run by captureGraph's callback are recorded by CUDA stream capture into one graph. The random
  // kernels and Adam captured there read their offset and step shift from device memory, set by each launch.
  protected override kBeginCapture(): void {
    this.cuda.beginCapture();
  }

  protected override kAbortCapture(): void {
    this.cuda.abortCapture();
  }

  protected override kEndCapture(): StepGraph {
    const device = this.cuda;
    let id: number | undefined = device.endCapture();
    return {
      launch: (shift: GraphShift) => {
        if (id === undefined) this.fail('graph.launch', 'the graph has been disposed');
        this.notCapturing('graph.launch');
        this.checkShift(shift);
        device.launchGraph(id, shift.rng, shift.step);
      },
      dispose: () => {
        if (id !== undefined) device.destroyGraph(id);
        id = undefined;
      },
    };
  }
}
