// The checks of a checkpoint's saved state (the JSON in its safetensors metadata): every field the loader uses has
// the right type, and a wrong one is named with what was found and what was expected ("position.sums is null;
// expected an object of finite numbers"), so a damaged or hand-edited checkpoint is one clear line.

type Check = (value: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const finite: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const positive: Check = (v) => finite(v) && (v as number) > 0;
const recordOf = (each: Check): Check => (v) => isObject(v) && Object.values(v).every(each);

/** A short description of a value found where another was expected. */
function found(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object of other values';
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return `${typeof v} ${text.length > 40 ? `${text.slice(0, 40)}...` : text}`;
}

/** field path, check, what is expected; a missing optional field is allowed. */
const FIELDS: [path: string, check: Check, expected: string, optional?: true][] = [
  ['config', isObject, 'an object (the model configuration)'],
  ['config.kind', (v) => typeof v === 'string', 'a model kind string'],
  ['seed', count, 'a non-negative integer'],
  ['step', count, 'a non-negative integer'],
  ['rngOffset', count, 'a non-negative integer'],
  ['optimizerSteps', recordOf(count), 'an object of non-negative integers'],
  ['optimizerLr', recordOf(positive), 'an object of positive numbers', true],
  ['position', isObject, 'an object (epoch, stepInEpoch, sums, logged)'],
  ['position.epoch', count, 'a non-negative integer'],
  ['position.stepInEpoch', count, 'a non-negative integer'],
  ['position.sums', recordOf(finite), 'an object of finite numbers'],
  ['position.logged', count, 'a non-negative integer'],
  ['weightsOnly', (v) => v === true, 'true (or no weightsOnly field)', true],
];

function at(state: Record<string, unknown>, path: string): unknown {
  let v: unknown = state;
  for (const key of path.split('.')) v = isObject(v) ? v[key] : undefined;
  return v;
}

/** What is wrong with a parsed checkpoint state, as "<field> is <found>; expected <what>", or undefined. */
export function checkpointStateProblem(state: unknown): string | undefined {
  if (!isObject(state)) return `the state is ${found(state)}; expected an object`;
  for (const [path, check, expected, optional] of FIELDS) {
    const v = at(state, path);
    if (v === undefined && optional) continue;
    if (!check(v)) return `${path} is ${found(v)}; expected ${expected}`;
  }
  return undefined;
}
