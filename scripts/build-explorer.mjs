// Bundles the latent-space explorer page (ts/explore/page/main.ts and what it imports) with esbuild into one ES
// module, build/explorer/explorer.js, beside a copy of ts/explore/page/index.html. Browser platform: an import of
// a Node module fails the build, which keeps Node-only code out of the page.
import { copyFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const page = join(root, 'ts', 'explore', 'page');
const outDir = join(root, 'build', 'explorer');
mkdirSync(outDir, { recursive: true });

const tmp = join(outDir, `.explorer.js.${process.pid}.tmp`);
try {
  await build({
    entryPoints: [join(page, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: tmp,
    logLevel: 'warning',
  });
} catch {
  console.error('build-explorer: esbuild failed (see above)');
  process.exit(1);
}
renameSync(tmp, join(outDir, 'explorer.js'));
copyFileSync(join(page, 'index.html'), join(outDir, 'index.html'));
console.log('build-explorer: wrote build/explorer/explorer.js and index.html');
