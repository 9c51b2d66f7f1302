// What a model's configuration implies for the code around it: which data it trains and is scored on, which
// options apply to it, how it is measured, which figures show it. The one place outside create.ts and the defaults
// of config.ts that looks at config.kind: the rest of the code asks these traits.
import { type AaeConfig, MODEL_KINDS, type ModelKind, defaultConfig } from './config.js';

/** The figures of a run (figures/<name>.png), as ts/viz/figures.ts writes them. */
export type FigureName = 'reconstructions' | 'manifold' | 'style-content' | 'latent';

export interface ModelTraits {
  /** The model's name in messages: 'semi-supervised', 'unsupervised', 'supervised', 'clustering', 'dimred'. */
  name: string;
  /** Q outputs a softmax class code y beside z (semi, cluster, dimred): it predicts classes or clusters. */
  classHead: boolean;
  /** P's input holds a class code beside z, [y, z]: Q's y (semi, cluster) or the label (supervised). */
  decoderClassCode: boolean;
  /** P's class code is the data's one-hot label (supervised): training and scoring need the labels. */
  decoderTakesLabels: boolean;
  /** A cross-entropy phase on labeled training images (semi, and dimred with --labels > 0). */
  classifierPhase: boolean;
  /** Training draws a labeled subset of --labels images: for the classifier phase, or the label-conditioned prior. */
  labeledSubset: boolean;
  /** Training needs the training labels: a classifier phase, a decoder that takes labels, or a label-conditioned prior. */
  needsLabels: boolean;
  /**
   * Unsupervised clustering (cluster, and dimred with --labels=0): the classes are clusters, their count set by
   * --clusters, and the model is scored by cluster accuracy.
   */
  clustering: boolean;
  /** --labels=0 trains the model's unsupervised variant (dimred). */
  unsupervisedVariant: boolean;
  /** A categorical adversary D_cat on y, whose generator loss --cat-weight weighs (semi, cluster, dimred). */
  categoricalAdversary: boolean;
  /** --vat applies: a class head trained on unlabeled images (semi, cluster). */
  consistency: boolean;
  /** --recon-labeled applies: the labeled batch can also be reconstructed with its labels as P's class code (semi). */
  labeledReconstruction: boolean;
  /** --prior-labels applies: the label-conditioned regularisation of the paper's Fig. 4 (unsupervised). */
  conditionalPrior: boolean;
  /** P decodes z alone, so codes drawn from the prior decode to images: the Parzen estimate, the manifold figure. */
  decodesZAlone: boolean;
  /** What a class of y is called in figures and the explorer: a digit, or a cluster of a clustering model. */
  classWord: 'digit' | 'cluster';
  /** The accuracy measure of the model, besides reconstruction: test error, cluster accuracy, or none. */
  metric: 'test-error' | 'cluster-accuracy' | 'none';
  /** The figures of its runs; 'latent' is drawn when the test images have labels. */
  figures: readonly FigureName[];
  /**
   * The latent scatter shows prior samples under the codes (false for dimred: its plane is the representation
   * W_c y + z, which no prior describes).
   */
  scatterPrior: boolean;
}

const NAMES: Record<ModelKind, string> = { semi: 'semi-supervised', unsupervised: 'unsupervised', supervised: 'supervised', cluster: 'clustering', dimred: 'dimred' };

/** The traits of the model that `config` describes. */
export function modelTraits(config: AaeConfig): ModelTraits {
  const { kind } = config;
  const semiDimred = kind === 'dimred' && config.dimred?.semiSupervised === true;
  const classHead = kind === 'semi' || kind === 'cluster' || kind === 'dimred';
  const decoderTakesLabels = kind === 'supervised';
  const decoderClassCode = kind === 'semi' || kind === 'cluster' || decoderTakesLabels;
  const classifierPhase = kind === 'semi' || semiDimred;
  const clustering = kind === 'cluster' || (kind === 'dimred' && !semiDimred);
  const labeledSubset = classifierPhase || config.conditionalPrior !== undefined;
  const decodesZAlone = kind === 'unsupervised';
  return {
    name: NAMES[kind],
    classHead,
    decoderClassCode,
    decoderTakesLabels,
    classifierPhase,
    labeledSubset,
    needsLabels: labeledSubset || decoderTakesLabels,
    clustering,
    unsupervisedVariant: kind === 'dimred',
    categoricalAdversary: classHead,
    consistency: kind === 'semi' || kind === 'cluster',
    labeledReconstruction: kind === 'semi',
    conditionalPrior: kind === 'unsupervised',
    decodesZAlone,
    classWord: clustering ? 'cluster' : 'digit',
    metric: classifierPhase ? 'test-error' : clustering ? 'cluster-accuracy' : 'none',
    figures: [
      'reconstructions',
      ...(decodesZAlone && config.zDim === 2 ? (['manifold'] as const) : []),
      ...(decoderClassCode ? (['style-content'] as const) : []),
      'latent',
    ],
    scatterPrior: kind !== 'dimred',
  };
}

/** The kinds whose default models have a trait, in MODEL_KINDS order: the --model values an option is for. */
export function kindsWith(has: (traits: ModelTraits) => boolean): ModelKind[] {
  return MODEL_KINDS.filter((kind) => has(modelTraits(defaultConfig(kind))));
}
