// The model owns its contract: outside ts/models/, no code branches on a model's kind (kind === 'semi', a switch on
// the kind, a list of kinds that includes it); it asks the model's traits (ts/models/traits.ts) instead.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

const BRANCHES = [
  /\bkind\s*[!=]==?/, // kind === 'semi', config.kind !== x
  /[!=]==?\s*[\w.?!]*\bkind\b/, // 'semi' === kind
  /\bswitch\s*\([^)]*\bkind\s*\)/, // switch (config.kind)
  /\.includes\(\s*[\w.?!]*\bkind\s*\)/, // ['semi', 'cluster'].includes(kind)
];
/** A type check of a value read from a file is no branch on the kind: typeof config.model.kind !== 'string'. */
const TYPE_CHECK = /\btypeof\s+[\w.?!]*\bkind\s*[!=]==?/;

/** The lines of the .ts files of `root`, outside its models/ folder, that branch on a model kind: "file:line: text". */
function kindBranches(root: string): string[] {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f.split(/[\\/]/)[0] !== 'models');
  return files.sort().flatMap((file) =>
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (BRANCHES.some((b) => b.test(line)) && !TYPE_CHECK.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

t.test('no file of ts/ outside ts/models/ branches on a model kind', async (t) => {
  t.same(kindBranches('ts'), [], 'ask modelTraits(config) or model.traits instead');
});

t.test('the branches on a kind in a small tree are found, those in models/ and type checks are not', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'aae-kinds-'));
  for (const dir of ['cli', 'models']) mkdirSync(join(root, dir));
  writeFileSync(
    join(root, 'cli', 'a.ts'),
    [
      "if (config.kind === 'semi') x();",
      "const b = 'cluster' !== run.model.kind;",
      'switch (c.kind) {}',
      "if (['semi', 'cluster'].includes(kind)) y();",
      "if (typeof config?.model?.kind !== 'string') z();",
      'const name = `${config.kind} model`;',
    ].join('\n'),
  );
  writeFileSync(join(root, 'models', 'traits.ts'), "const semi = config.kind === 'semi';\n");
  t.same(kindBranches(root), [
    "cli/a.ts:1: if (config.kind === 'semi') x();",
    "cli/a.ts:2: const b = 'cluster' !== run.model.kind;",
    'cli/a.ts:3: switch (c.kind) {}',
    "cli/a.ts:4: if (['semi', 'cluster'].includes(kind)) y();",
  ]);
});
