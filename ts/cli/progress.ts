// Training progress for the terminal: on a TTY one line redrawn in place (epoch, iteration, it/s, ETA, the latest
// losses); elsewhere (CI, pipes) a plain line every `intervalSeconds`. Epoch summaries are printed by the trainer.
export interface ProgressState {
  epoch: number; // 1-based
  epochs: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  itersPerSecond: number;
  losses: Record<string, number>;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "epoch 2/5 [#####.....] 250/500  9.8 it/s  ETA 3:40  recon 0.2012  xent 0.0312". */
export function formatProgress(p: ProgressState, barWidth = 20): string {
  const done = Math.min(1, p.stepInEpoch / p.stepsPerEpoch);
  const bar = '#'.repeat(Math.round(done * barWidth)).padEnd(barWidth, '.');
  const remaining = (p.epochs - p.epoch) * p.stepsPerEpoch + (p.stepsPerEpoch - p.stepInEpoch);
  const losses = Object.entries(p.losses).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ');
  return `epoch ${p.epoch}/${p.epochs} [${bar}] ${p.stepInEpoch}/${p.stepsPerEpoch}  ${p.itersPerSecond.toFixed(1)} it/s  ETA ${clock(remaining / p.itersPerSecond)}${losses ? `  ${losses}` : ''}`;
}

export class ProgressReporter {
  #lastPlain = performance.now();
  #drawn = false;

  constructor(
    private readonly out: { isTTY?: boolean; columns?: number; write(s: string): boolean },
    private readonly intervalSeconds = 30,
  ) {}

  update(p: ProgressState): void {
    if (this.out.isTTY) {
      const width = Math.max(20, (this.out.columns || 120) - 1);
      this.out.write(`\r${formatProgress(p).slice(0, width).padEnd(width)}`);
      this.#drawn = true;
    } else if ((performance.now() - this.#lastPlain) / 1000 >= this.intervalSeconds) {
      this.#lastPlain = performance.now();
      this.out.write(`${formatProgress(p, 10)}\n`);
    }
  }

  /** Clears the TTY line before a normal line is printed over it. */
  clear(): void {
    if (this.#drawn) {
      this.out.write(`\r${' '.repeat(Math.max(20, (this.out.columns || 120) - 1))}\r`);
      this.#drawn = false;
    }
  }
}
