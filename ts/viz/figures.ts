// The figures of a run, those its model's traits name, written to runs/NAME/figures/ (PNG) after every epoch.
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
  const { prior, inFeatures } = model.config;
  const { figures, scatterPrior } = model.traits;
  if (figures.includes('reconstructions')) save('reconstructions.png', reconstructionFigure(be, model, test.images.subarray(0, 10 * inFeatures), test.labels));
  if (figures.includes('manifold')) save('manifold.png', manifoldFigure(be, model, { range: 10, steps: 20 }));
  if (figures.includes('style-content')) save('style-content.png', styleContentFigure(be, model, { rows: 10, std: prior.std ?? 1 }));
  if (figures.includes('latent') && test.labels) {
    const n = Math.min(test.n, 2000);
    const priorSamples = scatterPrior ? 2000 : 0;
    save('latent.png', latentScatter(be, model, test.images.subarray(0, n * inFeatures), test.labels.subarray(0, n), { size: 400, priorSamples }));
  }
  return written;
}
