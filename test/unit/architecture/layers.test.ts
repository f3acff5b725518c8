import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allowedFrom, LAYERS } from '../../../layers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = path.join(ROOT, 'src');

/** Every TypeScript file under `dir`, as paths relative to the repository. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [path.relative(ROOT, p)] : [];
  });
}

/**
 * The relative modules a file loads when it runs. A type-only import is erased (`import type`, or every
 * named binding marked `type` is still a side-effect import under verbatimModuleSyntax, so it counts).
 */
function runtimeImports(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.importClause?.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      if (!node.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((s) => s.startsWith('.'));
}

const folderOf = (file: string): string | undefined => {
  const [top, folder] = file.split(path.sep);
  return top === 'src' ? folder : top === 'simulators' ? 'simulators' : undefined;
};

/** Folder → the folders it loads at run time, over every file of `src/`. */
function runtimeFolderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file)!;
    const edges = graph.get(from) ?? graph.set(from, new Set()).get(from)!;
    for (const spec of runtimeImports(file, readFileSync(path.join(ROOT, file), 'utf8'))) {
      const to = folderOf(path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)));
      if (to && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** One cycle of the graph, as the folders along it, or undefined when there is none. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the layers of src/', () => {
  it('places every folder of src/ in exactly one layer', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect([...LAYERS.flat()].sort()).toEqual(folders);
  });

  it('has no runtime import cycle between folders, and every runtime import goes down', () => {
    const graph = runtimeFolderGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(findCycle(graph)).toBeUndefined();
    for (const [from, targets] of graph)
      for (const to of targets) expect(allowedFrom(from), `src/${from} imports src/${to}`).toContain(to);
  });

  it('finds a cycle when there is one, and reads type-only imports as erased', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
    expect(
      runtimeImports(
        'x.ts',
        [
          "import type { A } from './a.ts';",
          "import { type B } from './b.ts';",
          "import { c } from './c.ts';",
          "export type { D } from './d.ts';",
          "const e = await import('./e.ts');",
          "import { z } from 'zod';",
        ].join('\n'),
      ),
    ).toEqual(['./b.ts', './c.ts', './e.ts']);
  });

  it('fails the lint on an import from domain/ into db/, and passes an import that goes down', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const lint = async (file: string, text: string) => {
      const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, file) });
      return result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
    };
    expect(
      await lint(
        'src/domain/planted.ts',
        "import type { Database } from '../db/schema.ts';\nexport type P = Database;\n",
      ),
    ).toEqual(['src/domain may not import src/db: layers go one way (layers.js)']);
    expect(
      await lint(
        'src/catalog/planted.ts',
        "import { ensureConnection } from '../db/connections.ts';\nexport const p = ensureConnection;\n",
      ),
    ).toEqual(['src/catalog may not import src/db: layers go one way (layers.js)']);
    expect(
      await lint(
        'src/db/planted.ts',
        "import { phaseOf } from '../catalog/plan.ts';\nexport const p = phaseOf;\n",
      ),
    ).toEqual([]);
  });
});
