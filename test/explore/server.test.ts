// The explorer's server: the page's files and the run's regular files, read-only; everything else 404, however
// the path is spelled (../, encoded %2e%2e and %2f, backslashes, NUL, absolute paths, symlinks out of the run).
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import t from 'tap';
import { createBackend } from '../../ts/backend/select.js';
import { exploreBundle } from '../../ts/explore/bundle.js';
import { hostAllowed } from '../../ts/explore/host-check.js';
import { runFileSegments, startExploreServer } from '../../ts/explore/server.js';
import { buildSite } from '../../ts/explore/site.js';
import { defaultConfig } from '../../ts/models/config.js';
import { Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';
import { buildPage } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer<ArrayBuffer>;
}

/** One request with the path sent exactly as given (no URL normalisation, unlike fetch). */
function raw(url: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const setHost = !('host' in headers);
    const req = request({ host: hostname, port, path, method, headers: headers['host'] === '' ? {} : headers, setHost }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(method === 'POST' || method === 'PUT' ? 'x' : undefined);
  });
}

async function site() {
  buildPage();
  const be = await createBackend('wasm', { threads: 1 });
  const data = mnistSubset(500, 20);
  const trainer = new Trainer(be, data, { config: { ...defaultConfig('semi'), hidden: 16 }, epochs: 1, seed: 1, labels: 100, validation: 100, protocol: 'balanced' });
  const bundle = exploreBundle(be, trainer.model, data.test, { run: 'r', checkpoint: 'last', points: 20, runFiles: true });
  be.dispose();
  return { site: buildSite(bundle), bundle };
}

/** A run directory with a file, a figure, a dot-file, a sub-directory, and symlinks in and out; a secret beside it. */
function runDir(): string {
  const root = tempDir(t, 'serve');
  const dir = join(root, 'run');
  mkdirSync(join(dir, 'figures'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), '{"model":{}}');
  writeFileSync(join(dir, 'figures', 'latent.png'), 'PNG');
  writeFileSync(join(dir, '.hidden'), 'hidden');
  writeFileSync(join(root, 'secret.txt'), 'secret');
  mkdirSync(join(root, 'run-evil'));
  writeFileSync(join(root, 'run-evil', 'secret.txt'), 'secret');
  symlinkSync(join(root, 'secret.txt'), join(dir, 'out-link'));
  symlinkSync(join(root, 'run-evil'), join(dir, 'out-dir'));
  symlinkSync(join(dir, 'config.json'), join(dir, 'in-link.json'));
  return dir;
}

t.test('serves the page and the run files, 404 for everything else', async (t) => {
  const { site: files, bundle } = await site();
  const dir = runDir();
  const server = await startExploreServer({ site: files, runDir: dir, port: 0 });
  t.teardown(() => server.close());
  t.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'bound to 127.0.0.1 by default');

  const index = await raw(server.url, '/');
  t.equal(index.status, 200);
  t.match(index.headers['content-type'], /^text\/html/);
  t.match(index.body.toString(), /<script type="module" src="explorer.js">/);
  t.match(index.headers['content-security-policy'], /default-src 'self'/, 'the page may fetch only from this server');
  t.same((await raw(server.url, '/index.html')).body, index.body);
  t.match((await raw(server.url, '/explorer.js')).headers['content-type'], /^text\/javascript/);
  for (const wasm of ['/aae.browser.relaxed.wasm', '/aae.browser.simd.wasm']) {
    const r = await raw(server.url, wasm);
    t.equal(r.headers['content-type'], 'application/wasm', `${wasm}: served as wasm (streaming compilation needs it)`);
    t.ok(WebAssembly.validate(r.body) || wasm.includes('relaxed'), `${wasm}: a module`);
  }
  const manifest = JSON.parse((await raw(server.url, '/manifest.json?x=1')).body.toString());
  t.same(manifest, bundle.manifest, 'manifest.json (a query string is ignored)');
  t.equal((await raw(server.url, '/weights.bin')).body.length, 4 * bundle.weights.length, 'weights.bin: every float');

  t.equal((await raw(server.url, '/run/config.json')).body.toString(), '{"model":{}}', 'a run file');
  const png = await raw(server.url, '/run/figures/latent.png');
  t.equal(png.status, 200);
  t.equal(png.headers['content-type'], 'image/png');
  t.equal((await raw(server.url, '/run/figures/lat%65nt.png')).status, 200, 'percent-encoded ordinary characters are fine');
  t.equal((await raw(server.url, '/run/in-link.json')).status, 200, 'a symlink to a file inside the run');
  const head = await raw(server.url, '/run/config.json', 'HEAD');
  t.equal(head.status, 200);
  t.equal(head.body.length, 0);
  t.equal(head.headers['content-length'], '12');

  const outside = [
    '/run/', '/run', '/run/figures', '/run/figures/', '/run//config.json', '/run/./config.json', '/run/figures/../config.json',
    '/../secret.txt', '/run/../secret.txt', '/run/../../etc/passwd', '/run/%2e%2e/secret.txt', '/run/%2E%2E/secret.txt',
    '/run/..%2fsecret.txt', '/run/%2e%2e%2fsecret.txt', '/run/figures/..%2F..%2Fsecret.txt', '/run/..%5csecret.txt', '/run/..\\secret.txt',
    '/run/%2fetc%2fpasswd', '/run//etc/passwd', '//etc/passwd', '/etc/passwd', '/run/%00', '/run/config.json%00.png', '/run/%zz',
    '/run/../run-evil/secret.txt', '/run/out-link', '/run/out-dir/secret.txt', '/run/.hidden', '/run/%2ehidden', '/secret.txt',
    '/%2e%2e/secret.txt', '/manifest.json/', '/explorer.js/../index.html', 'http://127.0.0.1/../secret.txt', '/nope.html', '/run/missing.json',
  ];
  for (const path of outside) {
    const r = await raw(server.url, path);
    t.equal(r.status, 404, `${path}: 404`);
    t.notMatch(r.body.toString(), /secret|hidden|model|passwd|root:/, `${path}: nothing leaks`);
  }
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const r = await raw(server.url, '/run/config.json', method);
    t.equal(r.status, 405, `${method}: 405`);
    t.equal(r.headers['allow'], 'GET, HEAD');
  }
  t.equal(readFileSync(join(dir, 'config.json'), 'utf8'), '{"model":{}}', 'the run is untouched');
});

t.test('only a Host header naming this server is answered (no DNS rebinding); no CORS allowance', async (t) => {
  const { site: files } = await site();
  const dir = runDir();
  const server = await startExploreServer({ site: files, runDir: dir, port: 0 });
  t.teardown(() => server.close());
  const port = Number(new URL(server.url).port);
  for (const host of ['evil.example', `evil.example:${port}`, `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `127.0.0.1:${port + 1}`, `localhost:${port}x`, '']) {
    for (const path of ['/', '/run/config.json', '/manifest.json']) {
      const r = await raw(server.url, path, 'GET', { host });
      t.equal(r.status, host === '' ? 400 : 403, `Host "${host}" ${path}: ${host === '' ? '400 (node:http needs a Host)' : '403'}`);
      t.notMatch(r.body.toString(), /model|manifest|script/, 'nothing of the run or page');
    }
  }
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`]) {
    const r = await raw(server.url, '/run/config.json', 'GET', { host, origin: 'http://evil.example' });
    t.equal(r.status, 200, `Host "${host}": 200`);
    t.notOk(Object.keys(r.headers).some((h) => h.startsWith('access-control-')), 'no CORS header, even asked from another origin');
  }
});

t.test('without a run directory only the page is served', async (t) => {
  const { site: files } = await site();
  const server = await startExploreServer({ site: files, port: 0 });
  t.teardown(() => server.close());
  t.equal((await raw(server.url, '/')).status, 200);
  t.equal((await raw(server.url, '/run/config.json')).status, 404);
});

t.test('a port in use is one clear error', async (t) => {
  const { site: files } = await site();
  const first = await startExploreServer({ site: files, port: 0 });
  t.teardown(() => first.close());
  const port = Number(new URL(first.url).port);
  await t.rejects(startExploreServer({ site: files, port }), { name: 'UsageError', message: `explore: port ${port} on 127.0.0.1 is in use; choose another with --port` });
});

t.test('runFileSegments accepts only plain downward paths', async (t) => {
  t.same(runFileSegments('/run/figures/latent.png'), ['figures', 'latent.png']);
  t.same(runFileSegments('/run/a%20b.txt'), ['a b.txt']);
  for (const bad of ['/run/', '/run/a//b', '/run/..', '/run/a/%2E', '/run/%2F', '/run/a%5Cb', '/run/%00', '/run/%E0%A4%A', '/x/a', '/run/.git/config']) {
    t.equal(runFileSegments(bad), undefined, bad);
  }
});

t.test('hostAllowed: localhost, IP literals and the listening name, on the port only', async (t) => {
  const server = { listenHost: 'Box.lan', port: 8080 };
  for (const ok of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', '10.0.0.5:8080', 'box.lan:8080', ' localhost:8080 ']) t.ok(hostAllowed(ok, server), ok);
  for (const bad of [undefined, '', 'localhost', 'localhost:80', 'evil.example:8080', '127.0.0.1.nip.io:8080', '[::1]', '[evil]:8080', '::1:8080', 'localhost:8080:8080']) {
    t.notOk(hostAllowed(bad, server), String(bad));
  }
});
