// Interleaved A/B of ours against tfjs-wasm in one process: rounds of (a few iterations on each of our backends,
// one tfjs iteration), each round's ratios from timings taken seconds apart, so that a load change on a shared
// machine hits both sides of a round alike. Ours runs with 2 threads and with 1 (tfjs-wasm has 1 under Node).
// The benny suites time each side on its own; this is the load-robust ratio beside them.
import { type Backend } from '../ts/backend/backend.js';
import { type AaeConfig } from '../ts/models/config.js';
import { iterationCase } from './iteration.js';
import { tfjsIteration } from './tfjs.js';

export interface PairedSide {
  name: string;
  medianMs: number;
  /** tfjs ms / this side's ms per round: median, min and max over the rounds. */
  ratioMedian: number;
  ratioMin: number;
  ratioMax: number;
}

export interface PairedResult {
  rounds: number;
  oursPerRound: number;
  tfjsMedianMs: number;
  ours: PairedSide[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function runPairedTfjs(options: { ours: { name: string; be: Backend }[]; config: AaeConfig; rounds: number; oursPerRound: number }): Promise<PairedResult> {
  const ours = options.ours.map((o) => ({ name: o.name, run: iterationCase(o.be, options.config).run, ms: [] as number[] }));
  const peer = await tfjsIteration('wasm', options.config);
  for (const o of ours) for (let i = 0; i < 3; i++) o.run();
  peer.step();
  const tfjsMs: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    for (const o of ours) {
      const t0 = performance.now();
      for (let i = 0; i < options.oursPerRound; i++) o.run();
      o.ms.push((performance.now() - t0) / options.oursPerRound);
    }
    const t0 = performance.now();
    peer.step();
    tfjsMs.push(performance.now() - t0);
  }
  peer.dispose();
  return {
    rounds: options.rounds,
    oursPerRound: options.oursPerRound,
    tfjsMedianMs: median(tfjsMs),
    ours: ours.map((o) => {
      const ratios = o.ms.map((m, i) => tfjsMs[i]! / m);
      return { name: o.name, medianMs: median(o.ms), ratioMedian: median(ratios), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios) };
    }),
  };
}
