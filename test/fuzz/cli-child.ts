// The process the CLI fuzz suite runs commands in: the real CLI (runCommand, as ts/cli/main.ts calls it), one
// command per message, its output captured; the parent bounds each command's time and this process's memory.
import { runCommand } from '../../ts/cli/command.js';

const out: string[] = [];
const err: string[] = [];
console.log = (...a: unknown[]) => void out.push(a.join(' '));
console.error = (...a: unknown[]) => void err.push(a.join(' '));

process.on('message', (m: { id: number; argv: string[] }) => {
  out.length = 0;
  err.length = 0;
  void runCommand(m.argv).then((code) => process.send!({ id: m.id, code, stdout: out.join('\n'), stderr: err.join('\n') }));
});
process.send!({ ready: true });
