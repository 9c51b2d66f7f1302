#!/usr/bin/env node
// The command-line entry: `aae train [flags]` (npm run train), `aae eval runs/NAME` (npm run eval),
// `aae sample runs/NAME` (npm run sample) and `aae explore runs/NAME` (npm run explore); see command.ts.
import { runCommand } from './command.js';

process.exitCode = await runCommand(process.argv.slice(2));
