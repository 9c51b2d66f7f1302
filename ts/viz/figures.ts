// The figures of a run, by model kind, written to runs/NAME/figures/ (PNG) after every epoch.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { type Backend } from '../backend/backend.js';
import { type Dataset } from '../data/mnist.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { manifoldFigure, reconstructionFigure, styleContentFigure } from './grids.js';
import { type FigureImage, writePng } from './png.js';
import { latentScatter } from './scatter.js';

/** Writes the figures for `model` into dir; returns the file names written. */
export function writeFigures(be: Backend, model: AdversarialAutoencoder, test: Dataset, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const save = (name: string, img: FigureImage) => {
    writePng(join(dir, name), img);
    written.push(name);
  };
  const { kind, zDim, prior, inFeatures } = model.config;
  save('reconstructions.png', reconstructionFigure(be, model, test.images.subarray(0, 10 * inFeatures), test.labels));
  if (kind === 'unsupervised' && zDim === 2) save('manifold.png', manifoldFigure(be, model, { range: 10, steps: 20 }));
  if (kind !== 'unsupervised' && kind !== 'dimred') save('style-content.png', styleContentFigure(be, model, { rows: 10, std: prior.std ?? 1 }));
  if (test.labels) {
    const n = Math.min(test.n, 2000);
    // The dimred model's scatter is of its representation W_c y + z, which no prior describes: no grey samples.
    const priorSamples = kind === 'dimred' ? 0 : 2000;
    save('latent.png', latentScatter(be, model, test.images.subarray(0, n * inFeatures), test.labels.subarray(0, n), { size: 400, priorSamples }));
  }
  return written;
}
