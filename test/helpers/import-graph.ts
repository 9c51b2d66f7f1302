// The relative imports of a source tree (import, export ... from, import(), type-only ones too), the cycles among
// its files, and the arrows between its modules (a module: a top-level folder, or a file directly in the root).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Each .ts file of `root` (paths relative to it) with the files it imports. */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) =>
      relative(root, resolve(root, dirname(file), m[1]!.replace(/\.js$/, '.ts'))),
    );
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle met by a depth-first walk, each as the files around it (first file repeated at the end). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

/** The module of a file: its top-level folder, or the file's own name (without .ts) for a file in the root. */
export function moduleOf(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
}

/** Each import that crosses modules, as "from-file -> to-file" with the two modules. */
export function moduleArrows(graph: Map<string, string[]>): { from: string; to: string; line: string }[] {
  const arrows: { from: string; to: string; line: string }[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      if (moduleOf(file) !== moduleOf(target)) arrows.push({ from: moduleOf(file), to: moduleOf(target), line: `${file} -> ${target}` });
    }
  }
  return arrows;
}
