// npm run reports: a kept run's report.html is rebuilt from its config.json, metrics.jsonl and figures/; a
// directory that holds no run is one line and exit 1.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/temp-dir.js';

const reports = (...dirs: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/reports.ts', ...dirs], { encoding: 'utf8', timeout: 60_000 });

t.test('a kept run: the report has its title, curves and figures', async (t) => {
  const run = join(tempDir(t, 'reports'), 'dimred-100-s1');
  cpSync('docs/runs/dimred-100-s1', run, { recursive: true });
  rmSync(join(run, 'report.html'), { force: true });
  const r = reports(run);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, `reports: wrote ${join(run, 'report.html')}\n`);
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  t.match(html, `<title>dimred AAE: ${run}</title>`);
  t.match(html, /<h2>Curves<\/h2><figure><svg/);
  for (const png of ['latent.png', 'reconstructions.png']) t.match(html, `<img alt="${png}" src="data:image/png;base64,`, png);
});

t.test('a directory without config.json: one line, exit 1', async (t) => {
  const dir = tempDir(t, 'reports-none');
  const r = reports(dir);
  t.equal(r.status, 1);
  t.equal(r.stderr, `reports: ${join(dir, 'config.json')}: missing; ${dir} is not a run directory\n`);
});
