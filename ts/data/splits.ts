// Training-set splits, pure functions of the labels and the seed.
//
// balancedSplit: each class's indices are shuffled with Philox (key = seed, counters from SPLIT_OFFSET + class *
// 2^24); the first nLabeled/classes of each class are labeled, the next ones validation. The unlabeled set is every
// training image not held out for validation, labeled ones included: as in the paper, the reconstruction and
// regularisation phases see all training images, and the labels add the cross-entropy phase.
// fducauSplit: the reference code's files: per digit, the first 300 images in file order are labeled, the next
// 1000 validation, the rest (47 000 in all) unlabeled; there the unlabeled set excludes the labeled images.
import { uniforms } from '../rng.js';
import { DataError } from './idx.js';

export interface Split {
  labeled: Int32Array; // indices into the training set
  validation: Int32Array;
  unlabeled: Int32Array;
}

/** Philox counter region of the split shuffles (see ts/rng.ts for a run's regions). */
export const SPLIT_OFFSET = 2 ** 48;

/** In-place Fisher-Yates shuffle of a with Philox uniforms from (seed, offset). */
export function shuffle(a: Int32Array, seed: number, offset: number): Int32Array {
  const u = uniforms(seed, offset, a.length);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(u[i]! * (i + 1)));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

function byClass(labels: Uint8Array, classes: number): number[][] {
  const lists = Array.from({ length: classes }, () => [] as number[]);
  labels.forEach((c, i) => {
    if (c >= classes) throw new DataError(`label ${c} at index ${i}; expected labels 0..${classes - 1}`);
    lists[c]!.push(i);
  });
  return lists;
}

export function balancedSplit(options: { labels: Uint8Array; nLabeled: number; nValidation: number; seed: number; classes?: number }): Split {
  const { labels, nLabeled, nValidation, seed } = options;
  const classes = options.classes ?? 10;
  if (!Number.isInteger(nLabeled) || nLabeled < 0 || nLabeled % classes !== 0) {
    throw new DataError(`--labels must be a non-negative multiple of ${classes} (balanced across classes), got ${nLabeled}`);
  }
  const perClass = nLabeled / classes;
  const lists = byClass(labels, classes).map((l, c) => shuffle(Int32Array.from(l), seed, SPLIT_OFFSET + c * 2 ** 24));
  // Validation: nValidation / classes per class, the first (nValidation mod classes) classes one more.
  const valPer = (c: number) => Math.floor(nValidation / classes) + (c < nValidation % classes ? 1 : 0);
  lists.forEach((l, c) => {
    if (perClass + valPer(c) > l.length) {
      throw new DataError(`class ${c} has ${l.length} training images, fewer than the ${perClass} labeled + ${valPer(c)} validation images asked for`);
    }
  });
  const labeled = Int32Array.from(lists.flatMap((l) => [...l.subarray(0, perClass)]));
  const validation = Int32Array.from(lists.flatMap((l, c) => [...l.subarray(perClass, perClass + valPer(c))]));
  const held = new Uint8Array(labels.length);
  validation.forEach((i) => (held[i] = 1));
  const unlabeled = Int32Array.from({ length: labels.length - validation.length });
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (!held[i]) unlabeled[k++] = i;
  return { labeled, validation, unlabeled };
}

export function fducauSplit(labels: Uint8Array, classes = 10): Split {
  const seen = new Array<number>(classes).fill(0);
  const labeled: number[] = [];
  const validation: number[] = [];
  const unlabeled: number[] = [];
  labels.forEach((c, i) => {
    if (c >= classes) throw new DataError(`label ${c} at index ${i}; expected labels 0..${classes - 1}`);
    const k = seen[c]!++;
    (k < 300 ? labeled : k < 1300 ? validation : unlabeled).push(i);
  });
  if (labeled.length !== 300 * classes || validation.length !== 1000 * classes) {
    throw new DataError(`the fducau protocol needs at least 1300 training images of every class; got ${seen.join(', ')}`);
  }
  return { labeled: Int32Array.from(labeled), validation: Int32Array.from(validation), unlabeled: Int32Array.from(unlabeled) };
}
