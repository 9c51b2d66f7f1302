// The package as a consumer gets it: `npm pack`, then a new TypeScript project installs the tarball offline (npm's
// cache holds every package this repository's lockfile names), type-checks the library example of docs/usage.md against the
// installed dist/*.d.ts and runs it. The install step builds the CPU addon where cmake and a C++ compiler exist (or
// says in one line why not), and there `createBackend('auto')` picks it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/temp-dir.js';

const repo = resolve('.');

interface LockEntry {
  version: string;
  integrity?: string;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/** The newest modification time of the files under dir. */
function newest(dir: string): number {
  return Math.max(...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => statSync(join(e.parentPath, e.name)).mtimeMs));
}

function onPath(names: string[]): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && names.some((n) => existsSync(join(dir, n))));
}

/**
 * A lockfile for the consumer: the tarball and, at the versions this repository locks, the packages it and
 * @types/node need, each with its registry tarball URL and integrity, so `npm install --offline` takes them from
 * the cache without the registry's metadata (which the cache may not hold).
 */
function consumerLock(tarball: string, roots: Record<string, string>): object {
  const locked = (JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as LockEntry & { name: string; license: string; engines: object };
  // Node's lookup: the package's own node_modules, then each enclosing one.
  const find = (from: string, name: string): string => {
    for (let at = from; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/node_modules/')))) {
      const key = at ? `${at}/node_modules/${name}` : `node_modules/${name}`;
      if (locked[key]) return key;
      if (!at) throw new Error(`${name} is not in package-lock.json`);
    }
  };
  const packages: Record<string, LockEntry> = {};
  const add = (key: string): void => {
    if (packages[key]) return;
    const { dev: _dev, devOptional: _devOptional, optional: _optional, peer: _peer, ...entry } = locked[key]!;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages[key] = { ...entry, resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz` };
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) add(find(key, dep));
  };
  for (const dep of [...Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }), ...Object.keys(roots)]) add(find('', dep));
  const spec = `file:${tarball}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  return {
    name: 'consumer',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'consumer', version: '1.0.0', dependencies: { [pkg.name]: spec }, devDependencies: roots },
      [`node_modules/${pkg.name}`]: {
        version: pkg.version,
        resolved: spec,
        integrity,
        hasInstallScript: true,
        license: pkg.license,
        dependencies: pkg.dependencies,
        optionalDependencies: pkg.optionalDependencies,
        engines: pkg.engines,
      },
      ...packages,
    },
  };
}

t.test('npm pack, then a new TypeScript project installs the tarball offline, type-checks and runs the usage example', async (t) => {
  const fresh = existsSync('dist/index.js') && existsSync('build/wasm') && statSync('dist/index.js').mtimeMs >= newest('ts');
  t.ok(fresh, 'dist/ and build/wasm are built from the current sources (run `npm run build` if not)');
  if (!fresh) return;
  const dir = tempDir(t, 'consumer');

  // prepare (npm run build) already made dist/ and build/wasm; --ignore-scripts packs them without rebuilding.
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { encoding: 'utf8', timeout: 60_000 });
  t.equal(pack.status, 0, `npm pack (stderr: ${pack.stderr.slice(-500)})`);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const files = packed!.files.map((f) => f.path);
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'build/wasm/aae.simd.wasm', 'CMakeLists.txt', 'native/CMakeLists.txt', 'native/src/cpu/addon.cc', 'native/src/gemm.cu', 'scripts/build-native.mjs']) {
    t.ok(files.includes(f), `the tarball has ${f}`);
  }
  t.same(files.filter((f) => /^(build\/native|ts|test|bench)\//.test(f)), [], 'no built addon, TypeScript sources, tests or benchmarks in the tarball');
  const tarball = join(dir, packed!.filename);

  const app = join(dir, 'app');
  mkdirSync(app);
  const typesNode = (JSON.parse(readFileSync('node_modules/@types/node/package.json', 'utf8')) as { version: string }).version;
  const devDependencies = { '@types/node': typesNode };
  // The approval npm 12 requires before it runs a dependency's install script (npm 10 and 11 run it anyway).
  const manifest = { name: 'consumer', version: '1.0.0', private: true, type: 'module', allowScripts: { [`file:${tarball}`]: true }, devDependencies };
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(consumerLock(tarball, devDependencies), null, 2));
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], noEmit: true };
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }, null, 2));
  const readme = readFileSync('docs/usage.md', 'utf8');
  const block = /<!-- example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- example:end -->/.exec(readme);
  t.ok(block, 'docs/usage.md has a marked example');
  writeFileSync(join(app, 'example.ts'), block![1]!);
  writeFileSync(
    join(app, 'auto.ts'),
    "import { createBackend } from 'aae-ts';\n\nconst be = await createBackend('auto', { log: (line) => console.log(line) });\nconsole.log(`picked ${be.info().name}`);\nbe.dispose();\n",
  );

  // The CUDA addon is left out (AAE_CUDA=off): its fat build takes a minute, and this test is about the CPU one.
  const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--foreground-scripts', tarball], {
    cwd: app,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, AAE_CUDA: 'off' },
  });
  const installed = `${install.stdout}${install.stderr}`;
  t.equal(install.status, 0, `npm install --offline (output: ${installed.slice(-1500)})`);
  const native = /^native: .*$/m.exec(installed)?.[0] ?? '';
  t.ok(native, `the install step says what it built: ${native}`);

  const root = dirname(createRequire(join(app, 'index.js')).resolve('aae-ts/package.json'));
  const addon = join(root, 'build', 'native', 'Release', 'aae_cpu.node');
  const toolchain = onPath(['cmake']) && onPath(['c++', 'g++', 'clang++']);
  if (toolchain) {
    t.match(native, /^native: built the CPU addon in \d+ s/, 'cmake and a C++ compiler are here, so the CPU addon is built');
    t.ok(existsSync(addon), `${addon} exists`);
  } else {
    t.match(native, /the Wasm backend is used/, 'no toolchain here: the install says so and succeeds');
  }

  const tsc = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { encoding: 'utf8', timeout: 120_000 });
  t.equal(tsc.status, 0, `tsc --noEmit in the consumer (output: ${tsc.stdout.slice(-1500)})`);

  const tsx = import.meta.resolve('tsx');
  const auto = spawnSync(process.execPath, ['--import', tsx, 'auto.ts'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
  t.equal(auto.status, 0, `createBackend('auto') in the consumer (stderr: ${auto.stderr.slice(-500)})`);
  t.match(auto.stdout, toolchain ? /^picked cpu$/m : /^picked wasm$/m, `auto picks ${toolchain ? 'the CPU addon' : 'Wasm'}: ${auto.stdout.trim()}`);

  const example = spawnSync(process.execPath, ['--import', tsx, 'example.ts'], { cwd: app, encoding: 'utf8', timeout: 180_000 });
  t.equal(example.status, 0, `the usage example in the consumer (stderr: ${example.stderr.slice(-500)})`);
  t.match(example.stdout, /test error after 50 iterations: \d+\.\d%/);
  t.match(example.stdout, /decoded 10 images; first code z = \(-?\d+\.\d\d, -?\d+\.\d\d\)/);
});
