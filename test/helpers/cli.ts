// Running the real CLI in a child process, and fingerprints of run directories to show what a command changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export const CLI = ['--import', 'tsx', 'ts/cli/main.ts'];

export interface CliResult {
  /** null when the command was killed for running past its timeout. */
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `aae ...args` to completion (killed after timeoutMs, so a hang fails the test instead of stalling it). */
export function cli(args: string[], options: { timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: options.timeoutMs ?? 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Flags of a tiny, quick semi-supervised run on the Wasm backend. */
export const TINY = ['--hidden=16', '--steps-per-epoch=3', '--validation=100', '--log-every=1', '--backend=wasm', '--quiet'];

/** Every entry under dir (relative path -> sha256 of a file's bytes, "dir", or "-> target" of a link). */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(rel, name);
      const st = lstatSync(join(dir, path));
      if (st.isSymbolicLink()) out[path] = `-> ${readlinkSync(join(dir, path))}`;
      else if (st.isDirectory()) {
        out[path] = 'dir';
        walk(path);
      } else if (st.isFile()) out[path] = createHash('sha256').update(readFileSync(join(dir, path))).digest('hex');
      else out[path] = 'special';
    }
  };
  walk('');
  return out;
}

/** The records of a run's metrics.jsonl without their timings (what two equal runs share). */
export function records(dir: string): Record<string, unknown>[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { seconds: _s, itersPerSecond: _i, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return rest;
  });
}
