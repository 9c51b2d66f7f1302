// report.html: one self-contained page (inline SVG charts, base64 PNG figures, no network) that opens from disk:
// the loss of every phase over iterations, validation/test error (or cluster accuracy) and test reconstruction over
// epochs, the run's figures, its configuration and backend.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type EpochRecord, type StepRecord } from '../train/trainer.js';
import { writeFileAtomic } from '../util/atomic.js';
import { niceTicks } from './ticks.js';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Series {
  name: string;
  points: [number, number][];
}

/**
 * An SVG line chart of several series sharing the axes, with a legend; `yLabel` names the measure. `xInteger`: the x
 * axis counts (epochs, iterations) and is labelled with whole numbers.
 */
export function lineChart(title: string, series: Series[], options: { xLabel: string; yLabel: string; xInteger?: boolean; width?: number; height?: number }): string {
  const width = options.width ?? 640;
  const m = { left: 56, right: 140, top: 28, bottom: 40 };
  // The legend, one 18-px row per series beside the plot, sets the least height.
  const height = Math.max(options.height ?? 300, m.top + 18 * series.length + m.bottom);
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (all.length === 0) return `<figure><figcaption>${escape(title)}</figcaption><p>no data yet</p></figure>`;
  const xTicks = niceTicks(Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0])), { integer: options.xInteger ?? false });
  const yTicks = niceTicks(Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1])));
  const sx = (x: number) => m.left + ((x - xTicks.min) / (xTicks.max - xTicks.min)) * (width - m.left - m.right);
  const sy = (y: number) => height - m.bottom - ((y - yTicks.min) / (yTicks.max - yTicks.min)) * (height - m.top - m.bottom);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">`,
    `<text x="${m.left}" y="18" font-weight="bold">${escape(title)}</text>`,
    `<line x1="${m.left}" y1="${height - m.bottom}" x2="${width - m.right}" y2="${height - m.bottom}" stroke="#888"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${height - m.bottom}" stroke="#888"/>`,
    ...yTicks.values.map((v) => `<line x1="${m.left - 4}" y1="${sy(v).toFixed(1)}" x2="${m.left}" y2="${sy(v).toFixed(1)}" stroke="#888"/>`),
    ...xTicks.values.map((v) => `<line x1="${sx(v).toFixed(1)}" y1="${height - m.bottom}" x2="${sx(v).toFixed(1)}" y2="${height - m.bottom + 4}" stroke="#888"/>`),
    ...yTicks.values.map((v, i) => `<text class="tick y" x="${m.left - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${yTicks.labels[i]}</text>`),
    ...xTicks.values.map((v, i) => `<text class="tick x" x="${sx(v).toFixed(1)}" y="${height - m.bottom + 16}" text-anchor="middle" font-size="11">${xTicks.labels[i]}</text>`),
    `<text x="${(width - m.right + m.left) / 2}" y="${height - 6}" text-anchor="middle" font-size="12">${escape(options.xLabel)}</text>`,
    `<text x="14" y="${(height - m.bottom + m.top) / 2}" transform="rotate(-90 14 ${(height - m.bottom + m.top) / 2})" text-anchor="middle" font-size="12">${escape(options.yLabel)}</text>`,
  ];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    parts.push(`<polyline class="series" data-name="${escape(s.name)}" fill="none" stroke="${color}" stroke-width="1.5" points="${pts.join(' ')}"/>`);
    parts.push(`<rect x="${width - m.right + 12}" y="${m.top + 18 * i}" width="12" height="12" fill="${color}"/>`);
    parts.push(`<text x="${width - m.right + 30}" y="${m.top + 18 * i + 10}" font-size="12">${escape(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `<figure>${parts.join('')}</figure>`;
}

export interface ReportInput {
  title: string;
  records: (StepRecord | EpochRecord)[];
  figuresDir: string;
  config: unknown;
}

export function renderReport(input: ReportInput): string {
  const steps = input.records.filter((r): r is StepRecord => r.type === 'step');
  const epochs = input.records.filter((r): r is EpochRecord => r.type === 'epoch');
  const phases = [...new Set(steps.flatMap((r) => Object.keys(r.losses)))];
  const charts = [
    lineChart('Loss of every phase', phases.map((k) => ({ name: k, points: steps.map((r) => [r.step, r.losses[k]!] as [number, number]) })), { xLabel: 'iteration', yLabel: 'loss', xInteger: true }),
  ];
  const scores: Series[] = [];
  if (epochs.some((e) => e.validationError !== undefined)) scores.push({ name: 'validation error', points: epochs.map((e) => [e.epoch, e.validationError!]) });
  if (epochs.some((e) => e.testError !== undefined)) scores.push({ name: 'test error', points: epochs.map((e) => [e.epoch, e.testError!]) });
  if (epochs.some((e) => e.clusterAccuracy !== undefined)) scores.push({ name: 'cluster accuracy', points: epochs.map((e) => [e.epoch, e.clusterAccuracy!]) });
  if (scores.length > 0) charts.push(lineChart('Classification', scores, { xLabel: 'epoch', yLabel: 'fraction', xInteger: true }));
  const recon: Series[] = [{ name: 'test recon', points: epochs.map((e) => [e.epoch, e.testRecon]) }];
  const withValidation = epochs.filter((e) => e.validationRecon !== undefined);
  if (withValidation.length > 0) recon.push({ name: 'validation recon', points: withValidation.map((e) => [e.epoch, e.validationRecon!]) });
  charts.push(lineChart('Reconstruction (BCE)', recon, { xLabel: 'epoch', yLabel: 'BCE', xInteger: true }));
  const figures = existsSync(input.figuresDir)
    ? readdirSync(input.figuresDir).filter((f) => f.endsWith('.png')).sort().map((f) => {
        const data = readFileSync(join(input.figuresDir, f)).toString('base64');
        return `<figure><img alt="${escape(f)}" src="data:image/png;base64,${data}"><figcaption>${escape(f)}</figcaption></figure>`;
      })
    : [];
  const last = epochs[epochs.length - 1];
  const summary = last
    ? `epoch ${last.epoch}, ${last.steps} iterations, ${last.itersPerSecond.toFixed(1)} it/s` +
      (last.testError !== undefined ? `, test error ${(100 * last.testError).toFixed(2)}%` : '') +
      (last.clusterAccuracy !== undefined ? `, cluster accuracy ${(100 * last.clusterAccuracy).toFixed(2)}%` : '')
    : 'no epoch finished yet';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(input.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}figure{display:inline-block;margin:8px 16px 8px 0;vertical-align:top}
img{image-rendering:pixelated;border:1px solid #ddd}pre{background:#f6f6f6;padding:12px;overflow:auto;max-width:900px}</style></head>
<body><h1>${escape(input.title)}</h1><p id="summary">${escape(summary)}</p>
<h2>Curves</h2>${charts.join('\n')}
<h2>Figures</h2>${figures.join('\n') || '<p>none yet</p>'}
<h2>Configuration</h2><pre>${escape(JSON.stringify(input.config, null, 2))}</pre>
</body></html>
`;
}

/** Renders runs/NAME/report.html from the run's metrics, figures and config. */
export function writeReport(options: { file: string; title: string; metricsFile: string; figuresDir: string; config: unknown }): void {
  const records = existsSync(options.metricsFile)
    ? readFileSync(options.metricsFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as StepRecord | EpochRecord)
    : [];
  writeFileAtomic(options.file, renderReport({ title: options.title, records, figuresDir: options.figuresDir, config: options.config }));
}
