// One semi-supervised (or other) training iteration of a source tree, built from the tree's own ts/ (models, the
// Wasm backend), the same batch as bench/iteration.ts; used by profile.ts and ab.ts so that two trees (before and
// after a change) run the same iteration in one process.
import { join } from 'node:path';

export interface TreeCase {
  be: any;
  /** Builds the model on `be` (the backend itself or a wrapper of it) and returns one synchronised iteration. */
  iteration: (be: any) => () => void;
  /** GEMM FLOPs of one iteration (bench/iteration.ts's count). */
  flops: number;
}

export async function loadTree(root: string, kind: string, threads: number): Promise<TreeCase> {
  const { createBackend } = await import(join(root, 'ts/backend/select.ts'));
  const { createModel } = await import(join(root, 'ts/models/create.ts'));
  const { defaultConfig } = await import(join(root, 'ts/models/config.ts'));
  const { RngStream } = await import(join(root, 'ts/rng.ts'));
  const { iterationGemmFlops } = await import(join(root, 'bench/iteration.ts'));
  const config = defaultConfig(kind);
  let flops: number;
  try {
    flops = iterationGemmFlops(config); // bench/iteration.ts after 2026-12-01 takes the config
  } catch {
    flops = iterationGemmFlops(kind); // before: the model kind
  }
  const be = await createBackend('wasm', { threads });
  const iteration = (b: any) => {
    const model = createModel(b, config, new RngStream(1));
    const rng = new RngStream(1, 2 ** 32);
    const B = config.batch;
    const x = b.tensor([B, 784]); // x: (B, 784)
    const xL = b.tensor([B, 784]);
    b.randomUniform(x, rng.take(B * 784));
    b.randomUniform(xL, rng.take(B * 784));
    const y = b.tensor([B, Math.max(1, config.classes)]); // y: (B, classes) one-hot
    b.randomCategorical(y, rng.take(B));
    const batch = { x, y, xLabeled: xL, yLabeled: y };
    return () => {
      model.step(batch, rng);
      b.download(model.reconLoss);
    };
  };
  return { be, iteration, flops };
}
