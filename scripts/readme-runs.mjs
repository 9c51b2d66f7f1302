// Regenerates the README's two training transcripts from real runs of this checkout's dist/ (npm run build first):
//   the default run:  npm run train -- --out=runs/default -> between <!-- default-run:start --> and <!-- default-run:end -->
//   the quick check:  npm run train -- QUICK_FLAGS      -> between <!-- quick-run:start --> and <!-- quick-run:end -->
// test/readme.test.ts runs the quick check's command again and compares its printed numbers with the README's.
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

function replaceBlock(text, name, body) {
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(text)) throw new Error(`readme-runs: README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> block`);
  return text.replace(re, `$1${body}\n$2`);
}

const minutes = (s) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
// Both runs first, then README.md is read, edited and written at once, so edits made while the runs train are kept.
const quick = only !== 'default' ? run(QUICK_FLAGS) : undefined;
const full = only !== 'quick' ? run(['--out=runs/default']) : undefined;
let readme = readFileSync(join(root, 'README.md'), 'utf8');
if (quick) readme = replaceBlock(readme, 'quick-run', `\`\`\`\n$ npm run train -- ${QUICK_FLAGS.join(' ')}\n${quick.stdout}\n\`\`\``);
if (full) readme = replaceBlock(readme, 'default-run', `\`\`\`\n$ npm run train -- --out=runs/default\n${full.stdout}\n(wall time ${minutes(full.wall)})\n\`\`\``);
writeFileSync(join(root, 'README.md'), readme);
