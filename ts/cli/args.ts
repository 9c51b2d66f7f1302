// A small declarative flag parser: every flag has a type, a default and a help line; a bad flag or value is a
// UsageError whose message is the one line the user sees.
import { UsageError } from '../util/usage-error.js';

export type FlagSpec =
  | { type: 'int'; default?: number; min?: number; max?: number; help: string }
  | { type: 'number'; default?: number; min?: number; exclusiveMin?: boolean; help: string }
  | { type: 'enum'; choices: readonly string[]; default?: string; help: string }
  | { type: 'string'; default?: string; help: string }
  | { type: 'bool'; help: string };

export type FlagValues = Record<string, string | number | boolean | undefined>;

/** Parses `--name=value`, `--name value` and `--flag` (booleans); positional arguments are returned apart. */
export function parseFlags(argv: string[], specs: Record<string, FlagSpec>): { flags: FlagValues; positional: string[]; given: Set<string> } {
  const flags: FlagValues = {};
  const positional: string[] = [];
  const given = new Set<string>();
  for (const [name, spec] of Object.entries(specs)) if ('default' in spec) flags[name] = spec.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown flag --${name}; run with --help to list the flags`);
    given.add(name);
    if (spec.type === 'bool') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let raw: string | undefined = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    raw = raw.trim();
    flags[name] = parseValue(name, raw, spec);
  }
  return { flags, positional, given };
}

function parseValue(name: string, raw: string, spec: Exclude<FlagSpec, { type: 'bool' }>): string | number {
  switch (spec.type) {
    case 'int': {
      const v = Number(raw);
      if (raw === '' || !Number.isInteger(v)) throw new UsageError(`--${name} must be an integer, got "${raw}"`);
      if (spec.min !== undefined && v < spec.min) throw new UsageError(`--${name} must be >= ${spec.min}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) throw new UsageError(`--${name} must be <= ${spec.max}, got ${v}`);
      return v;
    }
    case 'number': {
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got "${raw}"`);
      if (spec.min !== undefined && (spec.exclusiveMin ? v <= spec.min : v < spec.min)) {
        throw new UsageError(`--${name} must be ${spec.exclusiveMin ? '>' : '>='} ${spec.min}, got ${v}`);
      }
      return v;
    }
    case 'enum':
      if (!spec.choices.includes(raw)) throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, got "${raw}"`);
      return raw;
    case 'string':
      if (raw === '') throw new UsageError(`--${name} must not be empty`);
      return raw;
  }
}

/** --debug, which every command takes (runCommand reads it before the command parses its flags). */
export const DEBUG_FLAG: FlagSpec = { type: 'bool', help: 'on a failure, also print the stack trace' };

/** The --help text: one line per flag with its default, then --debug. */
export function helpText(usage: string, specs: Record<string, FlagSpec>): string {
  const rows = Object.entries({ ...specs, debug: DEBUG_FLAG }).map(([name, s]) => {
    const value = s.type === 'bool' ? '' : s.type === 'enum' ? `=${s.choices.join('|')}` : `=${s.type === 'string' ? 'TEXT' : 'N'}`;
    const def = 'default' in s && s.default !== undefined ? ` (default ${s.default})` : '';
    return [`  --${name}${value}`, `${s.help}${def}`] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return [usage, '', ...rows.map(([l, r]) => l.padEnd(width) + r)].join('\n');
}
