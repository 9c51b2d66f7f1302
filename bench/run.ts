// `npm run bench`: every benchmark suite in one run, written to bench/results/<date>-<machine>/ as benny's
// JSON/CSV/charts per suite, results.json (every row) and summary.md. Flags: see bench/plan.ts
// (--quick, --dry, --soak, --out=DIR). Order: Wasm kernels; one iteration per model per backend (CUDA when
// createBackend('cuda') works); the reference on a tiny model; the semi-supervised phases; the tfjs and PyTorch
// peers; the native CPU backend against Wasm and PyTorch at its best settings (bench/cpu-peers.ts); scaling with width and batch; memory per model (and the soak, last: it takes ~20 min).
import { join } from 'node:path';
import { type Backend, type BackendInfo } from '../ts/backend/backend.js';
import { createBackend } from '../ts/backend/select.js';
import { type ModelKind } from '../ts/models/config.js';
import { writeFileAtomic } from '../ts/util/atomic.js';
import { runCpuPeers } from './cpu-peers.js';
import { type IterationRow, runIterationSuite } from './iteration.js';
import { configName, runKernelSuites, shapeName, squareGemm } from './kernels.js';
import { loadAverage, machineInfo, resultsDir } from './machine.js';
import { runMemoryChild, runSoak } from './memory.js';
import { runPairedTfjs } from './paired.js';
import { type PhaseRow, runPhaseSuite } from './phases.js';
import { type BenchPlan, parsePlan, PlanError } from './plan.js';
import { runPytorchStep } from './pytorch.js';
import { measureRoofline } from './roofline.js';
import { runScalingSuite, writeScalingCharts } from './scaling.js';
import { renderSummary, type SummaryInput } from './summary.js';
import { runTfjsSuite } from './tfjs.js';

const say = (line: string) => console.log(`\nbench: ${line}`);

/** The four models of the paper's MNIST experiments that the issue benchmarks. */
const BENCH_MODELS: ModelKind[] = ['semi', 'unsupervised', 'supervised', 'cluster'];

async function main(plan: BenchPlan): Promise<void> {
  const machine = machineInfo();
  const folder = resultsDir(machine, plan.out);
  say(`${plan.command}: results in ${folder}/, load average ${machine.load.join(' / ')}`);
  const semi = plan.model('semi');

  say('kernels');
  const kernels = await runKernelSuites({ folder, configs: plan.wasmConfigs, model: semi, sampling: plan.kernels });
  const gemmName = `gemm ${shapeName(squareGemm(semi.batch, semi.hidden))}`;
  const gemm = { name: gemmName.slice(5), rate: kernels.find((r) => r.config === configName(plan.main) && r.case === gemmName)!.rate };

  const wasm = await createBackend('wasm', plan.main);
  const wasmName = configName(plan.main);
  let cuda: Backend | undefined;
  let cudaLine: string;
  try {
    cuda = await createBackend('cuda');
    cudaLine = `${cuda.info().device}: CUDA rows included`;
  } catch (e) {
    cudaLine = `no CUDA rows: ${(e as Error).message.split('\n')[0]}`;
  }
  const onBackends = [{ name: wasmName, be: wasm }, ...(cuda ? [{ name: 'cuda', be: cuda }] : [])];

  say('one iteration per model');
  const models = BENCH_MODELS.map((k) => plan.model(k));
  const iterations = await runIterationSuite({ folder, backends: onBackends.map((b) => ({ ...b, models })), sampling: plan.iterations });

  say(`roofline: the f32x4 multiply-add peak and Adam-shaped memory bandwidth on 1..${plan.main.threads} threads`);
  const semiRow = iterations.find((r) => r.backend === wasmName && r.config.kind === 'semi')!;
  const roofline = await measureRoofline({ simd: plan.main.simd, maxThreads: plan.main.threads, streamElements: semiRow.adamElements, ...plan.roofline });

  say('the reference backend on a tiny model');
  const reference = await createBackend('reference');
  const tiny = await runIterationSuite({
    folder,
    file: 'iteration-tiny',
    backends: [{ name: 'reference', be: reference, models: [plan.tinyModel] }, { name: wasmName, be: wasm, models: [plan.tinyModel] }],
    sampling: plan.iterations,
  });
  const backendInfos: BackendInfo[] = [...onBackends.map((b) => b.be.info()), reference.info()];
  reference.dispose();

  say('semi-supervised phases');
  const phases: PhaseRow[] = [];
  for (const b of onBackends) phases.push(...(await runPhaseSuite({ folder, name: b.name, be: b.be, config: semi, sampling: plan.iterations })));

  say('peers: TensorFlow.js (wasm, cpu), PyTorch');
  say(`interleaved A/B, ours (${plan.main.threads} threads and 1) against tfjs-wasm: ${plan.pairedRounds} rounds`);
  const oneThread = { ...plan.main, threads: 1 };
  const wasm1 = await createBackend('wasm', oneThread);
  const paired = await runPairedTfjs({ ours: [{ name: wasmName, be: wasm }, { name: configName(oneThread), be: wasm1 }], config: semi, rounds: plan.pairedRounds, oursPerRound: plan.dry ? 1 : 3 });
  wasm1.dispose();
  wasm.dispose();
  const tfjs: SummaryInput['tfjs'] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    try {
      tfjs.push(await runTfjsSuite({ folder, backend, config: semi, sampling: backend === 'wasm' ? plan.tfjsWasm : plan.tfjsCpu, gemmSampling: plan.tfjsGemm }));
    } catch (e) {
      tfjs.push({ backend: `tfjs-${backend}`, skipped: (e as Error).message.split('\n')[0]! });
    }
  }
  const pytorch = plan.dry ? { skipped: 'dry run' } : runPytorchStep({ device: 'cpu', threads: plan.main.threads, iters: 30 });
  writeFileAtomic(join(folder, 'pytorch-cpu.json'), `${JSON.stringify(pytorch, null, 2)}\n`);
  const pytorchCuda = cuda && !plan.dry ? runPytorchStep({ device: 'cuda', threads: plan.main.threads, iters: 50 }) : undefined;
  if (pytorchCuda) writeFileAtomic(join(folder, 'pytorch-cuda.json'), `${JSON.stringify(pytorchCuda, null, 2)}\n`);
  cuda?.dispose();

  say('the native CPU backend against Wasm and PyTorch (interleaved rounds)');
  const cpuPeers = await runCpuPeers({ folder, threads: plan.main.threads, rounds: plan.dry ? 1 : 8, perRound: plan.dry ? 1 : 5, models: BENCH_MODELS, dry: plan.dry });

  say('scaling with hidden width and batch');
  const base = { hidden: semi.hidden, batch: semi.batch };
  const scaling = await runScalingSuite({ folder, wasm: plan.main, ...plan.scaling, sampling: plan.scalingSamples, baseHidden: base.hidden, baseBatch: base.batch });
  const charts = writeScalingCharts(folder, scaling, base);

  say('memory per model on Wasm (one process each)');
  const memory = BENCH_MODELS.map((k) => runMemoryChild({ config: plan.model(k), iterations: plan.memoryIterations, every: Math.max(1, plan.memoryIterations / 20), threads: plan.main.threads }));
  let soak: SummaryInput['soak'];
  if (plan.soak) {
    say(`soak: ${plan.soakIterations} iterations of the semi-supervised model`);
    try {
      soak = runSoak({ folder, config: semi, iterations: plan.soakIterations, every: plan.soakSampleEvery, threads: plan.main.threads });
    } catch (e) {
      soak = { failed: (e as Error).message };
    }
  }

  const input: SummaryInput = {
    plan, machine, end: { load: loadAverage(), date: new Date().toISOString() }, backends: backendInfos, cuda: cudaLine,
    kernels, gemm, roofline, iterations, tiny, phases, tfjs, paired, pytorch, pytorchCuda, memory, scaling, charts, soak,
  };
  const summary = `${renderSummary(input)}\n${cpuPeers.markdown}`;
  // JSON drops the plan's model() function; the rows' configs are reduced to their sizes.
  writeFileAtomic(join(folder, 'results.json'), `${JSON.stringify({ ...input, iterations: stripConfig(iterations), tiny: stripConfig(tiny) }, null, 2)}\n`);
  writeFileAtomic(join(folder, 'summary.md'), summary);
  console.log(`\n${summary}\nwritten to ${folder}/`);
}

const stripConfig = (rows: IterationRow[]) => rows.map(({ config, ...r }) => ({ ...r, hidden: config.hidden, batch: config.batch }));

try {
  await main(parsePlan(process.argv.slice(2)));
  process.exit(0);
} catch (e) {
  console.error(e instanceof PlanError ? e.message : `bench: failed: ${(e as Error).message}`);
  process.exit(e instanceof PlanError ? 2 : 1);
}
