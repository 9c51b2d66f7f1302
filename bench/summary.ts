// summary.md: every suite's numbers in one markdown file, self-describing (machine, load, command, backends).
import { type BackendInfo } from '../ts/backend/backend.js';
import { type IterationRow } from './iteration.js';
import { type KernelRow } from './kernels.js';
import { machineMarkdown, type MachineInfo } from './machine.js';
import { type MemoryReport } from './memory-child.js';
import { type SoakVerdict, soakVerdict } from './memory.js';
import { type PairedResult } from './paired.js';
import { type PhaseRow } from './phases.js';
import { type BenchPlan } from './plan.js';
import { type PytorchResult } from './pytorch.js';
import { type ScalingRow } from './scaling.js';
import { range } from './stats.js';
import { type TfjsRow } from './tfjs.js';

export interface SummaryInput {
  plan: BenchPlan;
  machine: MachineInfo;
  end: { load: number[]; date: string };
  backends: BackendInfo[];
  cuda: string;
  kernels: KernelRow[];
  /** The (B, H) x (H, H) GEMM rate of the main configuration in this run, and its case name. */
  gemm: { rate: number; name: string };
  iterations: IterationRow[];
  tiny: IterationRow[];
  phases: PhaseRow[];
  tfjs: (TfjsRow | { backend: string; skipped: string })[];
  paired: PairedResult;
  pytorch: PytorchResult | { skipped: string };
  /** bench/pytorch_step.py on the GPU, run when the CUDA backend is there. */
  pytorchCuda: PytorchResult | { skipped: string } | undefined;
  memory: MemoryReport[];
  scaling: ScalingRow[];
  charts: string[];
  soak: { report: MemoryReport; verdict: SoakVerdict; chart: string } | { failed: string } | undefined;
}

/** "4.2x faster" or, below 1, "1.96x slower": how much faster ours is, from peer ms / our ms. */
const faster = (ratio: number, digits = 1): string => (ratio >= 1 ? `${ratio.toFixed(digits)}x faster` : `${(1 / ratio).toFixed(digits)}x slower`);

const table = (head: string[], rows: (string | number)[][], right = 1): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map((_, i) => (i >= right ? '---:' : '---')).join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

export function renderSummary(s: SummaryInput): string {
  const ours = s.iterations.find((r) => r.backend.startsWith('wasm') && r.config.kind === 'semi')!;
  const oursCuda = s.iterations.find((r) => r.backend === 'cuda' && r.config.kind === 'semi');
  const size = `batch ${ours.config.batch}, ${ours.config.hidden}-unit nets`;
  const peers = s.tfjs.filter((t): t is TfjsRow => 'medianMs' in t);
  const p = s.paired;
  const headline = [
    `- interleaved A/B in one process (${p.rounds} rounds, each: ${p.oursPerRound} of our iterations on each configuration, then one tfjs-wasm iteration; median of the rounds' ratios, min-max beside it):`,
    ...p.ours.map((o) => `  - ours (${o.name}) **${faster(o.ratioMedian)}** than tfjs-wasm (${o.ratioMin.toFixed(1)}-${o.ratioMax.toFixed(1)}x; ` +
      `${o.medianMs.toFixed(1)} ms vs ${p.tfjsMedianMs.toFixed(0)} ms)${o === p.ours[0] ? `; target >= 25x: ${o.ratioMedian >= 25 ? 'met' : 'NOT met'}` : ''}`),
    ...peers.map((t) => `- benny suites, each side on its own: ours (${ours.backend}) vs ${t.backend}: **${faster(t.medianMs / ours.medianMs)}** per semi-supervised iteration (${ours.medianMs.toFixed(1)} ms vs ${t.medianMs.toFixed(0)} ms)`),
    ...('skipped' in s.pytorch ? [] : [`- benny suite vs one timed loop: ours (${ours.backend}) vs ${s.pytorch.framework} (${s.pytorch.device}): **${faster(s.pytorch.ms_median / ours.medianMs, 2)}** (${ours.medianMs.toFixed(1)} ms vs ${s.pytorch.ms_median.toFixed(1)} ms)`]),
    ...(oursCuda && s.pytorchCuda && !('skipped' in s.pytorchCuda) ? [`- ours (cuda) vs ${s.pytorchCuda.framework} (${s.pytorchCuda.device}): **${faster(s.pytorchCuda.ms_median / oursCuda.medianMs, 2)}** (${oursCuda.medianMs.toFixed(2)} ms vs ${s.pytorchCuda.ms_median.toFixed(2)} ms)`] : []),
  ];
  const boundMs = (r: IterationRow) => (r.gemmGflop / s.gemm.rate) * 1e3;
  const lines = [
    '# Benchmark summary',
    '',
    machineMarkdown(s.machine, s.end),
    `- command: ${s.plan.command}${s.plan.dry ? ' (dry run: tiny models, one sample per case; the numbers mean nothing)' : ''}`,
    ...s.backends.map((b) => `- backend ${b.name}: ${b.device}; ${b.reason}`),
    `- cuda: ${s.cuda}`,
    '- every number below is from this one run on this one machine; medians of benny samples, p10-p90 beside them.',
    '',
    '## Headline',
    '',
    ...headline,
    '',
    `## One training iteration (${size}, all phases)`,
    '',
    ...table(['backend', 'model', 'median ms', 'p10-p90 ms', 'samples', 'GEMM GFLOP', 'GFLOP/s achieved', 'GEMM-bound ms', 'non-GEMM share'],
      s.iterations.map((r) => {
        const wasm = r.backend.startsWith('wasm');
        return [r.backend, r.model, r.medianMs.toFixed(1), range(r), r.samples, r.gemmGflop.toFixed(2), (r.gemmGflop / (r.medianMs / 1e3)).toFixed(1),
          wasm ? boundMs(r).toFixed(1) : '-', wasm ? `${(100 * (1 - boundMs(r) / r.medianMs)).toFixed(0)}%` : '-'];
      }), 2),
    '',
    `Efficiency line: GEMM-bound ms = the iteration's GEMM FLOPs at this run's ${s.gemm.name} GEMM rate (${s.gemm.rate.toFixed(1)} GFLOP/s, ${s.plan.main.simd} SIMD, ${s.plan.main.threads} threads);`,
    'the non-GEMM share is the rest of the measured iteration (elementwise ops, losses, Adam, Philox, small GEMMs). Target on Wasm: <= 15 %.',
    '',
    '## Peers: the same semi-supervised iteration in other frameworks, same machine, same run',
    '',
    ...table(['framework', 'setup', 'median ms', 'p10-p90 ms', 'samples', `ours (${ours.backend})`], [
      ...s.tfjs.map((t) => ('skipped' in t ? [t.backend, `skipped: ${t.skipped}`, '-', '-', '-', '-'] :
        [t.backend, `${t.setup}; tensors leaked per run: ${t.leakedTensors}`, t.medianMs.toFixed(0), range(t, 0), t.samples, faster(t.medianMs / ours.medianMs)])),
      'skipped' in s.pytorch ? ['pytorch (bench/pytorch_step.py)', `skipped: ${s.pytorch.skipped}`, '-', '-', '-', '-'] :
        [s.pytorch.framework, `${s.pytorch.device}, BLAS ${s.pytorch.blas}`, s.pytorch.ms_median.toFixed(1), `${s.pytorch.ms_p10.toFixed(1)}-${s.pytorch.ms_p90.toFixed(1)}`, 30, faster(s.pytorch.ms_median / ours.medianMs, 2)],
      ...(oursCuda && s.pytorchCuda ? ['skipped' in s.pytorchCuda ? ['pytorch cuda', `skipped: ${s.pytorchCuda.skipped}`, '-', '-', '-', '-'] :
        [s.pytorchCuda.framework, s.pytorchCuda.device, s.pytorchCuda.ms_median.toFixed(2), `${s.pytorchCuda.ms_p10.toFixed(2)}-${s.pytorchCuda.ms_p90.toFixed(2)}`, 50, `ours (cuda, ${oursCuda.medianMs.toFixed(2)} ms): ${faster(s.pytorchCuda.ms_median / oursCuda.medianMs, 2)}`]] : []),
    ], 2),
    '',
    'tfjs: bench/tfjs.ts, the same nets, dropout, BCE (eps 1e-15), adversarial losses and six Adam optimisers as ts/models/semisupervised.ts, hidden layers as fused matMul + bias + relu.',
    `GEMM rates in this run: ours (${s.plan.main.simd} SIMD, ${s.plan.main.threads} threads) ${s.gemm.name} ${s.gemm.rate.toFixed(1)} GFLOP/s; ` +
      peers.map((t) => `${t.backend} ${t.gemm.map((g) => `${g.case} ${g.gflops.toFixed(1)}`).join(', ')} GFLOP/s`).join('; ') + '.',
    `Samples are fewer for tfjs (minSamples ${s.plan.tfjsWasm.minSamples} on wasm, ${s.plan.tfjsCpu.minSamples} on cpu) because one of its iterations takes seconds.`,
    '',
    '## Semi-supervised iteration by phase',
    '',
    ...table(['backend', 'phase', 'median ms', 'p10-p90 ms', 'share of the phases\' sum'], s.phases.map((p) => {
      const sum = s.phases.filter((q) => q.backend === p.backend && q.phase !== 'whole iteration').reduce((a, q) => a + q.medianMs, 0);
      return [p.backend, p.phase, p.medianMs.toFixed(2), range(p, 2), p.phase === 'whole iteration' ? `(sum of phases ${sum.toFixed(1)} ms)` : `${((100 * p.medianMs) / sum).toFixed(0)}%`];
    }), 2),
    '',
    'Each phase is its own benny case through the model\'s phase methods (reconstructionGradients + P_decoder/Q_encoder, the discriminator steps, generatorGradients + Q_generator, classifierGradients + Q_semi_supervised).',
    '',
    `## Reference backend (float64, naive on purpose) on a tiny model`,
    '',
    ...table(['backend', 'model', 'median ms', 'p10-p90 ms', 'samples'], s.tiny.map((r) => [r.backend, r.model, r.medianMs.toFixed(2), range(r, 2), r.samples]), 2),
    ...(s.tiny.length === 2 ? ['', `Wasm is ${(s.tiny[0]!.medianMs / s.tiny[1]!.medianMs).toFixed(0)}x faster than the reference on this model.`] : []),
    '',
    `## Memory: each model's training on Wasm (${s.plan.main.simd} SIMD, ${s.plan.main.threads} threads), one process per model`,
    '',
    ...table(['model', 'iterations', 'peak RSS MB', 'Wasm arena MB', 'over the run'], s.memory.map((m) => [m.model, m.iterations, m.peakRssMB, m.wasmMB, soakVerdict(m).line]), 1),
    '',
    ...(s.soak && 'failed' in s.soak ? [`Soak: failed: ${s.soak.failed}`] : s.soak
      ? [`Soak (${s.soak.report.iterations} iterations of the ${s.soak.report.model} model): **${s.soak.verdict.line}**.`, '', `![soak](${s.soak.chart})`]
      : ['Soak: not run (`npm run bench -- --soak` runs 10 000 iterations of the semi-supervised model and says whether RSS and the Wasm arena stay flat).']),
    '',
    `## Scaling on Wasm (${s.plan.main.simd} SIMD, ${s.plan.main.threads} threads): the semi-supervised iteration`,
    '',
    ...table(['hidden', 'batch', 'median ms', 'p10-p90 ms', 'GEMM GFLOP', '(B,H)x(H,H) GEMM GFLOP/s', 'GEMM-bound ms', 'measured / bound'],
      s.scaling.map((r) => [r.hidden, r.batch, r.medianMs.toFixed(1), range(r), r.gemmGflop.toFixed(2), r.gemmRate.toFixed(1), r.boundMs.toFixed(1), `${(r.medianMs / r.boundMs).toFixed(2)}x`]), 0),
    '',
    'GEMM-bound ms: the iteration\'s GEMM FLOPs at the rate of the (B, H) x (H, H) GEMM measured at the same point in the same suite.',
    '',
    ...s.charts.map((c) => `![${c}](${c})`),
    '',
    '## Kernels (Wasm backend)',
    '',
    ...table(['config', 'case', 'median ms', 'p10-p90 ms', 'rate'], s.kernels.map((r) => [r.config, r.case, r.medianMs.toFixed(3), range(r, 3), `${r.rate.toFixed(r.unit === 'Melem/s' ? 0 : 1)} ${r.unit}`]), 2),
    '',
    'Files: benny JSON/CSV (and charts for the Wasm suites) per suite in this folder; results.json holds every row above.',
    '',
  ];
  return lines.join('\n');
}
