// Shared by the explorer tests: a short real training run from the CLI, the page built from its sources, the
// CLI itself, and the chromium binary (if any).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';

export function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Trains a small model for a few iterations into a fresh run directory, removed at t's teardown; returns its path. */
export function trainRun(t: { teardown(fn: () => void): void }, kind: string, extra: string[] = []): string {
  const dir = join(tempDir(t, 'explore'), kind);
  const r = cli('train', `--model=${kind}`, '--hidden=64', '--epochs=1', '--steps-per-epoch=40', '--validation=100', '--backend=wasm', '--quiet', `--out=${dir}`, ...extra);
  if (r.code !== 0) throw new Error(`training the ${kind} run failed: ${r.err.slice(-500)}`);
  return dir;
}

/** Rebuilds build/explorer/ from ts/explore/page/, so the page under test is the one in the sources. */
export function buildPage(): void {
  const r = spawnSync(process.execPath, ['scripts/build-explorer.mjs'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`scripts/build-explorer.mjs failed: ${r.stderr}`);
}

/** Starts `explore` as a user does and resolves with the URL it prints. */
export function serveRun(dir: string, ...flags: string[]): Promise<{ url: string; child: ChildProcess; stopped: Promise<{ code: number | null; out: string }> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'explore', dir, '--port=0', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const stopped = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child, stopped });
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`explore exited with ${code} before serving: ${err}`)));
  });
}

export const chromium = ['chromium', 'chromium-browser', 'google-chrome'].map((b) => spawnSync('which', [b], { encoding: 'utf8' }).stdout.trim()).find((p) => p !== '');

export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync',
];
