// Recipes: named presets of `npm run train`, one documented JSON file each in recipes/NAME.json:
//   { "description": "...", "follows": "...", "differs": "...", "target": "...", "flags": { "model": "semi", ... } }
// `flags` holds train flags by name (without --); they are validated exactly as on the command line, and flags
// given on the command line override them.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DataError } from '../data/idx.js';
import { UsageError } from '../util/usage-error.js';
import { type FlagSpec, parseFlags } from './args.js';

/** recipes/ at the package root (two levels above ts/cli/ and dist/cli/). */
export const RECIPES_DIR = fileURLToPath(new URL('../../recipes/', import.meta.url));

export interface Recipe {
  name: string;
  file: string;
  /** One line: what the recipe trains and what it is scored on. */
  description: string;
  /** What it takes from the paper (or the post it reproduces). */
  follows: string;
  /** What differs from the paper, stated plainly. */
  differs: string;
  /** The number it aims at, and where it comes from. */
  target: string;
  flags: Record<string, string | number | boolean>;
}

const TEXT_FIELDS = ['description', 'follows', 'differs', 'target'] as const;
/** Flags a recipe may not set: they say where a run goes or how it talks, not what it trains. */
const NOT_IN_RECIPES = new Set(['recipe', 'out', 'resume', 'quiet', 'help']);

export function recipeNames(dir = RECIPES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Reads and checks recipes/NAME.json; an unknown name is a UsageError listing the valid ones. */
export function loadRecipe(name: string, specs: Record<string, FlagSpec>, dir = RECIPES_DIR): Recipe {
  const names = recipeNames(dir);
  if (!names.includes(name)) throw new UsageError(`unknown recipe "${name}"; valid recipes are: ${names.join(', ')}`);
  const file = join(dir, `${name}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const r = raw as Partial<Recipe> | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new DataError(`${file}: expected a JSON object with ${TEXT_FIELDS.join(', ')} and flags`);
  const unknown = Object.keys(r).filter((k) => k !== 'flags' && !(TEXT_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new DataError(`${file}: unknown field "${unknown[0]}"; expected ${TEXT_FIELDS.join(', ')} and flags`);
  for (const k of TEXT_FIELDS) {
    if (typeof r[k] !== 'string' || r[k] === '') throw new DataError(`${file}: "${k}" must be a non-empty string`);
  }
  const flags = r.flags;
  if (typeof flags !== 'object' || flags === null || Array.isArray(flags)) throw new DataError(`${file}: "flags" must be an object of train flags, e.g. {"model": "semi"}`);
  for (const [k, v] of Object.entries(flags)) {
    if (NOT_IN_RECIPES.has(k)) throw new DataError(`${file}: a recipe may not set --${k}`);
    if (!specs[k]) throw new DataError(`${file}: unknown flag "${k}"`);
    const bool = specs[k]!.type === 'bool';
    if (bool ? v !== true : typeof v !== 'string' && typeof v !== 'number') {
      throw new DataError(`${file}: flag "${k}" must be ${bool ? 'true' : 'a string or a number'}, got ${JSON.stringify(v)}`);
    }
  }
  try {
    parseFlags(recipeArgv(flags), specs);
  } catch (e) {
    throw new DataError(`${file}: ${(e as Error).message}`);
  }
  return { name, file, ...(r as Omit<Recipe, 'name' | 'file'>) };
}

/** The recipe's flags as command-line arguments. */
export function recipeArgv(flags: Record<string, string | number | boolean>): string[] {
  return Object.entries(flags).map(([k, v]) => (v === true ? `--${k}` : `--${k}=${v}`));
}

/** The recipe of a train command that names no recipe, no model and no run to resume: what `npm run train` trains. */
export const DEFAULT_RECIPE = 'default';

/**
 * Parses the train arguments with --recipe=NAME expanded (DEFAULT_RECIPE when neither --recipe, --model nor --resume
 * is given): the recipe's flags first, then the command line's, so the command line wins. `given` holds every flag
 * set either way.
 */
export function parseWithRecipe(argv: string[], specs: Record<string, FlagSpec>): ReturnType<typeof parseFlags> & { recipe?: Recipe } {
  const first = parseFlags(argv, specs);
  const choosesModel = ['recipe', 'model', 'resume', 'help'].some((f) => first.given.has(f));
  const name = (first.flags['recipe'] as string | undefined) ?? (choosesModel ? undefined : DEFAULT_RECIPE);
  if (name === undefined) return first;
  const recipe = loadRecipe(name, specs);
  const merged = parseFlags([...recipeArgv(recipe.flags), ...argv], specs);
  // The command line's flags first, so that a message about a flag names one the user typed (--recipe, say).
  return { ...merged, given: new Set([...first.given, ...merged.given]), recipe };
}

/** The --help section listing every recipe with its description. */
export function recipesHelp(dir = RECIPES_DIR): string {
  const names = recipeNames(dir);
  const width = Math.max(0, ...names.map((n) => n.length)) + 4;
  const lines = names.map((n) => {
    let description = '';
    try {
      description = (JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8')) as { description?: string }).description ?? '';
    } catch {
      description = '(unreadable: run with --recipe to see why)';
    }
    return `  ${n.padEnd(width)}${description}`;
  });
  return ['recipes (--recipe=NAME; files in recipes/, flags given beside it override the recipe):', ...lines].join('\n');
}
