// Rebuilds report.html (ts/viz/report.ts: the curves, the figures and the configuration) of kept runs from their
// config.json, metrics.jsonl and figures/; with no directory given, of every run under docs/runs/:
//   npm run reports [-- RUN_DIR...]
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '../ts/data/idx.js';
import { readRunConfig, runPaths } from '../ts/run/run-dir.js';
import { FileError } from '../ts/util/file-error.js';
import { writeReport } from '../ts/viz/report.js';

/** `dir` and every directory below it that holds a config.json. */
function runDirs(dir: string): string[] {
  const below = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => runDirs(join(dir, e.name)));
  return existsSync(runPaths(dir).config) ? [dir, ...below] : below;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = process.argv.length > 2 ? process.argv.slice(2) : runDirs(relative(process.cwd(), join(root, 'docs', 'runs')));
try {
  for (const dir of dirs) {
    const config = readRunConfig(dir);
    const paths = runPaths(dir);
    writeReport({ file: paths.report, title: `${config.model.kind} AAE: ${dir}`, metricsFile: paths.metrics, figuresDir: paths.figures, config });
    console.log(`reports: wrote ${paths.report}`);
  }
} catch (e) {
  if (!(e instanceof DataError || e instanceof FileError)) throw e;
  console.error(`reports: ${e.message}`);
  process.exit(1);
}
