// `npm run explore -- runs/NAME [--port 8080] [--export DIR]`: loads the run's checkpoint, encodes test images for
// the plane's dots, and either serves the explorer page on 127.0.0.1 until Ctrl-C or writes it to a static folder.
import { basename, resolve } from 'node:path';
import { type BackendChoice, BACKEND_NAMES } from '../backend/select.js';
import { type CheckpointName, exploreBundle, loadRun } from '../explore/bundle.js';
import { exportSite } from '../explore/export.js';
import { startExploreServer } from '../explore/server.js';
import { type Site, buildSite } from '../explore/site.js';
import { UsageError } from '../util/usage-error.js';
import { type FlagSpec, helpText, parseFlags } from './args.js';
import { openBackend } from './open-backend.js';

export const EXPLORE_FLAGS: Record<string, FlagSpec> = {
  port: { type: 'int', default: 8080, min: 0, max: 65535, help: 'port to serve on (0: any free port)' },
  host: { type: 'string', default: '127.0.0.1', help: 'address to listen on' },
  export: { type: 'string', help: 'write the page as a static folder to this directory instead of serving it' },
  checkpoint: { type: 'enum', choices: ['last', 'best'], default: 'last', help: 'which checkpoint of the run' },
  points: { type: 'int', default: 5000, min: 0, max: 10000, help: 'test images drawn as dots on the latent plane' },
  backend: { type: 'enum', choices: BACKEND_NAMES, default: 'auto', help: 'backend that encodes the dots (the page always runs Wasm)' },
  help: { type: 'bool', help: 'show this help' },
};

export async function explore(argv: string[]): Promise<number> {
  const { flags, positional, given } = parseFlags(argv, EXPLORE_FLAGS);
  if (flags['help']) {
    console.log(helpText('usage: npm run explore -- runs/NAME [flags]\n\nThe latent-space explorer of a trained run, in the browser.', EXPLORE_FLAGS));
    return 0;
  }
  const dir = positional[0];
  if (!dir || positional.length > 1) throw new UsageError('explore takes exactly one run directory, e.g. npm run explore -- runs/first');
  const out = flags['export'] as string | undefined;
  if (out !== undefined && (given.has('port') || given.has('host'))) throw new UsageError('--export writes files and serves nothing: drop --port/--host');
  const checkpoint = flags['checkpoint'] as CheckpointName;
  const be = await openBackend(flags['backend'] as BackendChoice, { log: () => {} });
  let site: Site;
  try {
    const loaded = loadRun(be, dir, checkpoint); // on the run's own data: MNIST, or its --data directory
    const bundle = exploreBundle(be, loaded.model, loaded.test, {
      run: basename(resolve(dir)),
      checkpoint,
      points: flags['points'] as number,
      runFiles: out === undefined,
    });
    site = buildSite(bundle);
  } finally {
    be.dispose();
  }
  if (out !== undefined) {
    const written = exportSite(site, out);
    console.log(`aae: wrote the explorer for ${dir} to ${out}/ (${written.length} files); serve that folder with any static web server`);
    return 0;
  }
  const server = await startExploreServer({ site, runDir: dir, host: flags['host'] as string, port: flags['port'] as number });
  console.log(`aae: exploring ${dir} (${checkpoint} checkpoint) at ${server.url}  (Ctrl-C to stop)`);
  const host = flags['host'] as string;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') console.log(`aae: note: --host=${host} lets other machines reach the explorer and the run's files`);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await server.close();
  console.log('aae: explorer stopped');
  return 0;
}
