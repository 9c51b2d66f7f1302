// Running one command of the CLI to its exit code: `aae train [flags]`, `aae eval runs/NAME`, `aae sample runs/NAME`
// and `aae explore runs/NAME`. A user mistake prints one line and exits 2; a runtime failure prints one line and
// exits 1; --debug adds the stack trace. main.ts runs it on the process's arguments.
import { BackendError } from '../backend/backend.js';
import { DataError } from '../data/idx.js';
import { TrainingError } from '../train/trainer.js';
import { FileError, describeSystemError, systemError } from '../util/file-error.js';
import { UsageError } from '../util/usage-error.js';
import { evaluate } from './eval.js';
import { explore } from './explore.js';
import { sample } from './sample.js';
import { train } from './train.js';

/** Each command resolves to its exit code (0 when it returns nothing). */
const COMMANDS: Record<string, (argv: string[]) => Promise<number | void>> = { train, eval: evaluate, sample, explore };

export async function runCommand(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [command, ...rest] = args;
  try {
    const run = command === undefined ? undefined : COMMANDS[command];
    if (!run) throw new UsageError(`unknown command "${command ?? ''}"; expected one of: ${Object.keys(COMMANDS).join(', ')}`);
    return (await run(rest)) ?? 0;
  } catch (e) {
    const system = systemError(e);
    const err = system ? describeSystemError(system) : (e as Error);
    const userMistake = err instanceof UsageError || err instanceof DataError || (err instanceof FileError && err.exitCode === 2);
    const explained = userMistake || err instanceof FileError || err instanceof BackendError || err instanceof TrainingError;
    console.error(`aae: ${err.message}`);
    if (debug) console.error(err.cause instanceof Error ? `${err.stack}\ncaused by ${err.cause.stack}` : err.stack);
    else if (!explained) console.error('aae: run again with --debug for the stack trace');
    return userMistake ? 2 : 1;
  }
}
