// metrics.jsonl on --resume: the records a checkpoint has seen. A run killed after it logged records but before its
// next checkpoint (kill -9, a crash, a full disk) has records past the checkpoint it resumes from; they would be
// logged again, so they are dropped first, with a torn last line if the kill cut one in half.
import { existsSync } from 'node:fs';
import { type EpochRecord, type StepRecord, checkpointScore } from '../train/trainer.js';
import { writeFileAtomic } from '../util/atomic.js';
import { readInputText } from '../util/input-file.js';

/** Largest metrics.jsonl read (a 100-epoch run logging every iteration writes about 100 MB). */
const MAX_METRICS_BYTES = 2 ** 30;

/** Where a checkpoint stands: iterations done, and epochs completed. */
export interface MetricsPosition {
  step: number;
  epochs: number;
}

type MetricsRecord = StepRecord | EpochRecord;

function parseLine(line: string): MetricsRecord | undefined {
  try {
    const r = JSON.parse(line) as MetricsRecord;
    return (r?.type === 'step' && Number.isSafeInteger(r.step)) || (r?.type === 'epoch' && Number.isSafeInteger(r.epoch)) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The lines of `text` that are records up to `at`: step records of its iterations and its completed epochs. */
function recordsUpTo(text: string, at: MetricsPosition): { kept: string[]; dropped: number } {
  const kept: string[] = [];
  let dropped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const r = parseLine(line);
    if (r && (r.type === 'step' ? r.step <= at.step : r.epoch <= at.epochs)) kept.push(line);
    else dropped++;
  }
  return { kept, dropped };
}

/**
 * Cuts metrics.jsonl back to the records up to `at` (rewritten atomically, only when something is dropped);
 * returns how many lines were dropped.
 */
export function truncateMetrics(file: string, at: MetricsPosition): number {
  if (!existsSync(file)) return 0;
  const { kept, dropped } = recordsUpTo(readInputText(file, { what: 'the run metrics (metrics.jsonl)', maxBytes: MAX_METRICS_BYTES }), at);
  if (dropped > 0) writeFileAtomic(file, kept.map((l) => `${l}\n`).join(''));
  return dropped;
}

/** Every epoch record of metrics.jsonl, in order (none when the file does not exist). */
export function epochRecords(file: string): EpochRecord[] {
  if (!existsSync(file)) return [];
  const text = readInputText(file, { what: 'the run metrics (metrics.jsonl)', maxBytes: MAX_METRICS_BYTES });
  return text.split('\n').map(parseLine).filter((r): r is EpochRecord => r?.type === 'epoch');
}

/** The best (lowest) checkpointScore among the epoch records of metrics.jsonl. */
export function bestSoFar(file: string): number {
  return Math.min(Infinity, ...epochRecords(file).map(checkpointScore));
}
