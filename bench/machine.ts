// Where and on what a benchmark ran: the results folder name and the header of every summary.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  load: number[];
  date: string;
}

/** The 1/5/15-minute load averages, rounded. */
export const loadAverage = (): number[] => os.loadavg().map((x) => Math.round(x * 100) / 100);

export function machineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    load: loadAverage(),
    date: new Date().toISOString(),
  };
}

/** `out`, or bench/results/<YYYY-MM-DD>-<cpu slug>-<cores>c/; created. */
export function resultsDir(info: MachineInfo, out?: string): string {
  if (out) {
    mkdirSync(out, { recursive: true });
    return out;
  }
  const slug = info.cpu.toLowerCase().replace(/\(r\)|\(tm\)|processor|cpu|@.*$/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const dir = join('bench', 'results', `${info.date.slice(0, 10)}-${slug}-${info.cores}c`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function machineMarkdown(info: MachineInfo, end: { load: number[]; date: string }): string {
  return [
    `- machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, ${info.platform}`,
    `- node: ${info.node} (V8 ${process.versions.v8})`,
    `- load average (1/5/15 min) at start: ${info.load.join(' / ')}; at end: ${end.load.join(' / ')}`,
    `- started ${info.date}, ended ${end.date}`,
  ].join('\n');
}
