// What the explorer page loads besides its code: manifest.json (this file's ExploreManifest) and weights.bin (the
// float32 tensors of Q and P back to back, little-endian). Written by bundle.ts from a run's checkpoint, read by
// the page (weights.ts rebuilds the model from them). Types only, so the page's bundle imports nothing from Node.
import { type AaeConfig } from '../models/config.js';
import { type ImageShape } from '../util/image-shape.js';

export const EXPLORE_FORMAT = 2;

/** One tensor in weights.bin: `offset` and the size implied by `shape` are counted in float32 values. */
export interface ExploreTensor {
  name: string; // "Q.lin1.weight", ... (the checkpoint's state_dict names)
  shape: number[];
  offset: number;
}

export interface ExploreModel {
  kind: string; // 'semi', 'unsupervised', 'supervised', 'cluster', 'dimred'
  inFeatures: number;
  /**
   * The shape of the model's images (inFeatures = height * width * channels): the page's tiles are height x width
   * pixels, grey or RGB. Absent in bundles written before it: square grey images of inFeatures pixels.
   */
  image?: ImageShape;
  zDim: number;
  hidden: number;
  depth: number;
  /** Classes of Q's softmax head (semi-supervised, clustering); 0 when Q has only the style head. */
  encoderClasses: number;
  /** Width of the class code in P's input [y, z] (0 for the unsupervised model). */
  decoderClasses: number;
  /** What a class of y is called on the page: a digit, or a cluster of a clustering model. */
  classWord: 'digit' | 'cluster';
  /**
   * The dimensionality-reduction model: P decodes the representation r = y W_c^T + z (W_c: the tensor
   * "heads.weight", (zDim, encoderClasses)), and the plane and the dots are in r.
   */
  heads: boolean;
  /** Standard deviation of the Gaussian prior on z (sets the plane's default extent). */
  priorStd: number;
}

export interface ExploreManifest {
  format: typeof EXPLORE_FORMAT;
  /** The run directory's name and the checkpoint the weights come from. */
  run: string;
  checkpoint: 'last' | 'best';
  /** The run's model configuration: the page builds the model from it (ts/models/create.ts). */
  config: AaeConfig;
  model: ExploreModel;
  tensors: ExploreTensor[];
  /**
   * Test-set codes for the dots on the plane: z (N, zDim) flattened, and each image's digit label (N), or no
   * labels when the run's test set has none (a --data directory without label files).
   */
  points: { z: number[]; labels: number[] };
  /** True when the page is served by `npm run explore` with the run's own files under run/ (report.html, ...). */
  runFiles: boolean;
}
