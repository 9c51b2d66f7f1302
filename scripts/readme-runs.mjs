// Regenerates the two training transcripts of docs/usage.md from real runs of this checkout's dist/ (npm run build
// first), and the README's one-line summary of the default run:
//   the default run:  npm run train -- --out=runs/default -> docs/usage.md <!-- default-run:start --> ... :end -->,
//                     and its final test error and wall time -> README.md <!-- default-summary:start --> ... :end -->
//   the quick check:  npm run train -- QUICK_FLAGS      -> docs/usage.md <!-- quick-run:start --> ... :end -->
// test/readme.test.ts runs the quick check's command again and compares its printed numbers with the transcript's.
// Usage: node scripts/readme-runs.mjs [--only=quick|default]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const QUICK_FLAGS = ['--epochs=1', '--steps-per-epoch=30', '--validation=1000', '--out=runs/quick'];

function run(flags) {
  const out = flags.find((f) => f.startsWith('--out='))?.slice(6);
  rmSync(join(root, out), { recursive: true, force: true });
  const start = performance.now();
  const r = spawnSync(process.execPath, ['dist/cli/main.js', 'train', ...flags], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`readme-runs: train ${flags.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const wall = (performance.now() - start) / 1000;
  // The progress lines a non-interactive run prints every few seconds are left out; the epoch summaries stay.
  const lines = r.stdout.trim().split('\n').filter((l) => !/^epoch \d+\/\d+ \[/.test(l));
  return { stdout: lines.join('\n'), wall };
}

function replaceBlock(text, name, body, file, inline = false) {
  const re = inline ? new RegExp(`(<!-- ${name}:start -->)[^<]*(<!-- ${name}:end -->)`) : new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(text)) throw new Error(`readme-runs: ${file} has no <!-- ${name}:start --> ... <!-- ${name}:end --> block`);
  return text.replace(re, inline ? `$1${body}$2` : `$1${body}\n$2`);
}

const minutes = (s) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
// Both runs first, then the files are read, edited and written at once, so edits made while the runs train are kept.
const quick = only !== 'default' ? run(QUICK_FLAGS) : undefined;
const full = only !== 'quick' ? run(['--out=runs/default']) : undefined;
const usageFile = join(root, 'docs', 'usage.md');
let usage = readFileSync(usageFile, 'utf8');
if (quick) usage = replaceBlock(usage, 'quick-run', `\`\`\`\n$ npm run train -- ${QUICK_FLAGS.join(' ')}\n${quick.stdout}\n\`\`\``, 'docs/usage.md');
if (full) usage = replaceBlock(usage, 'default-run', `\`\`\`\n$ npm run train -- --out=runs/default\n${full.stdout}\n(wall time ${minutes(full.wall)})\n\`\`\``, 'docs/usage.md');
writeFileSync(usageFile, usage);
if (full) {
  const error = /^aae: last checkpoint: epoch \d+: test error ([\d.]+%)/m.exec(full.stdout)?.[1];
  if (!error) throw new Error('readme-runs: the default run printed no last-checkpoint test error');
  const readmeFile = join(root, 'README.md');
  const summary = `${error.replace('%', ' %')} test error, ${minutes(full.wall)} on ${(await import('node:os')).availableParallelism()} cores`;
  writeFileSync(readmeFile, replaceBlock(readFileSync(readmeFile, 'utf8'), 'default-summary', summary, 'README.md', true));
}
