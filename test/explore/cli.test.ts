// `explore` as a user runs it: serving until SIGTERM, --export writing the static folder, and bad input as one line.
import { createServer } from 'node:net';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { type ExploreManifest } from '../../ts/explore/manifest.js';
import { buildPage, cli, serveRun, trainRun } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

buildPage();
const run = trainRun(t, 'supervised');

t.test('serves the run until SIGTERM, then exits 0', async (t) => {
  const served = await serveRun(run, '--points=100', '--checkpoint=best');
  const manifest = (await (await fetch(`${served.url}manifest.json`)).json()) as ExploreManifest;
  t.equal(manifest.run, 'supervised');
  t.equal(manifest.checkpoint, 'best');
  t.equal(manifest.runFiles, true);
  t.same(
    { kind: manifest.model.kind, decoderClasses: manifest.model.decoderClasses, encoderClasses: manifest.model.encoderClasses, classWord: manifest.model.classWord },
    { kind: 'supervised', decoderClasses: 10, encoderClasses: 0, classWord: 'digit' },
  );
  t.equal(manifest.points.labels.length, 100);
  t.equal(manifest.points.z.length, 200);
  t.match(await (await fetch(`${served.url}run/report.html`)).text(), /<html/, "the run's report");
  served.child.kill('SIGTERM');
  const { code, out } = await served.stopped;
  t.equal(code, 0);
  t.match(out, /aae: exploring .*supervised \(best checkpoint\) at http:\/\/127\.0\.0\.1:\d+\/ {2}\(Ctrl-C to stop\)\naae: explorer stopped\n/);
});

t.test('--export writes the page as a static folder', async (t) => {
  const out = join(tempDir(t, 'export'), 'site');
  const r = cli('explore', run, `--export=${out}`, '--points=50');
  t.equal(r.code, 0, r.err);
  t.match(r.out, /wrote the explorer for .* \(6 files\)/);
  t.same(readdirSync(out).sort(), ['aae.browser.relaxed.wasm', 'aae.browser.simd.wasm', 'explorer.js', 'index.html', 'manifest.json', 'weights.bin']);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExploreManifest;
  t.equal(manifest.runFiles, false, 'the export has no run files');
  const floats = manifest.tensors.reduce((s, x) => s + x.shape.reduce((a, b) => a * b, 1), 0);
  t.equal(readFileSync(join(out, 'weights.bin')).length, 4 * floats, 'weights.bin holds every tensor of the manifest');
  t.same([...new Set(manifest.tensors.map((x) => x.name.split('.')[0]))], ['Q', 'P'], 'only Q and P: no discriminator, no optimiser state');
  const js = readFileSync(join(out, 'explorer.js'), 'utf8');
  t.notMatch(js, /from ['"]node:|require\(['"]/, 'no Node imports in the page');
  t.notMatch(js + readFileSync(join(out, 'index.html'), 'utf8'), /https?:\/\/(?!www\.w3\.org)/, 'no network addresses in the page');
  t.notOk(existsSync(join(run, 'explorer')), 'the run directory is not written to');
});

t.test('bad input: one line, exit 2', async (t) => {
  const file = join(tempDir(t, 'export'), 'file');
  writeFileSync(file, 'x');
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => blocker.close());
  const busy = (blocker.address() as { port: number }).port;
  const cases: [string[], RegExp][] = [
    [['explore'], /^aae: explore takes exactly one run directory, e.g. npm run explore -- runs\/first\n$/],
    [['explore', '/nonexistent/run'], /^aae: \/nonexistent\/run: no such run directory/],
    [['explore', run, '--port=70000'], /^aae: --port must be <= 65535, got 70000\n$/],
    [['explore', run, '--export=/tmp/x', '--port=9000'], /^aae: --export writes files and serves nothing: drop --port\/--host\n$/],
    [['explore', run, `--export=${file}`], /^aae: --export .*file: exists and is not a directory\n$/],
    [['explore', run, `--export=/proc/aae-export-${process.pid}/site`], new RegExp(`^aae: /proc/aae-export-${process.pid}: cannot create the directory: its file system does not allow it .*; choose another --export\n$`)],
    [['explore', run, `--port=${busy}`], new RegExp(`^aae: explore: port ${busy} on 127.0.0.1 is in use; choose another with --port\n$`)],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    t.equal(r.code, 2, `${args.join(' ')}: exit 2`);
    t.match(r.err, message, `${args.join(' ')}: ${r.err.trim()}`);
  }
});

t.test('--help lists the flags', async (t) => {
  const r = cli('explore', '--help');
  t.equal(r.code, 0);
  for (const flag of ['--port', '--host', '--export', '--checkpoint', '--points', '--backend']) t.match(r.out, flag);
});
