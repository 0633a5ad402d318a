// The one-way flow of imports (issue 21): every file in src/ sits on a floor, and a file imports only from its own
// floor or a lower one; no files import each other in a circle; the SDK (sdk/) is its own package and never imports
// src/. Imports are read with TypeScript's parser (static `import`/`export … from`, `import type`, dynamic `import()`),
// so text in strings and comments (generated code, examples) is not taken for an import.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './paths.js';

/** Lowest first; a path ending in `/` is a folder. cli, server and config are the top: they assemble the rest. */
const FLOORS: [floor: string, paths: string[]][] = [
  ['ground', ['src/errors.ts', 'src/paths.ts', 'src/version.ts', 'src/settings.ts', 'src/node-request.ts']],
  ['formats', ['src/formats/']],
  ['storage', ['src/storage/']],
  ['auth', ['src/auth/']],
  ['codegen', ['src/codegen/']],
  ['governance', ['src/governance/']],
  ['registry', ['src/registry/']],
  ['events', ['src/events/']],
  ['http', ['src/http/']],
  ['ui', ['src/ui/']],
  ['top', ['src/cli/', 'src/server.ts', 'src/config.ts']],
];

/**
 * Imports known to break the rules, each with the reason it is allowed. An entry is `importer -> imported`; the
 * import is left out of both checks. Delete an entry once it is fixed: the test then holds the fix in place.
 */
const ALLOWED: string[] = [];

const SOURCE = /\.(ts|mts|js|mjs)$/;
const NOT_SOURCE = /\.(test|d)\.[mc]?[jt]s$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'dist' || entry.name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) && !NOT_SOURCE.test(entry.name) ? [path] : [];
  });
}

/** The module specifiers a file imports (type-only imports too: they are dependencies all the same). */
function specifiers(path: string): string[] {
  const text = readFileSync(join(PROJECT_ROOT, path), 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, path.endsWith('js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The project file a specifier names (`./x.js` is x.ts in the sources), or undefined for a package or `node:` module. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (specifier === '@accord/sdk') return 'sdk/index.ts';
  if (specifier.startsWith('@accord/sdk/')) return `sdk/${specifier.slice('@accord/sdk/'.length)}.ts`;
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(PROJECT_ROOT, dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.d.ts'), base.replace(/\.mjs$/, '.mts'), base, `${base}.ts`, join(base, 'index.ts')];
  const file = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  return relative(PROJECT_ROOT, file ?? base).split('\\').join('/');
}

function floorOf(path: string): number {
  return FLOORS.findIndex(([, paths]) => paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p)));
}

const files = [...sourceFiles('src'), ...sourceFiles('sdk')];
const imports = new Map(files.map((file) => [file, [...new Set(specifiers(file).map((s) => resolveSpecifier(file, s)).filter((f) => f !== undefined))]]));
const allowed = new Set(ALLOWED);
const edges = (file: string): string[] => (imports.get(file) ?? []).filter((to) => imports.has(to) && !allowed.has(`${file} -> ${to}`));

/** A shortest circle through `start` among the files of one strongly connected component. */
function circleThrough(start: string, members: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!;
    for (const to of edges(file).filter((f) => members.has(f))) {
      if (to === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, file);
        queue.push(to);
      }
    }
  }
  return [start];
}

/** Tarjan's strongly connected components: each component of more than one file holds a circle. */
function circles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const to of edges(file)) {
      if (!index.has(to)) {
        connect(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const members = new Set<string>();
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      members.add(member);
      if (member === file) break;
    }
    if (members.size > 1 || edges(file).includes(file)) found.push(circleThrough([...members].sort()[0]!, members));
  };
  for (const file of files) if (!index.has(file)) connect(file);
  return found;
}

describe('the one-way flow of imports', () => {
  it('reads the imports it checks', () => {
    // Guards the walker itself: a parser that found nothing would pass every check below.
    expect(imports.get('src/server.ts')).toContain('src/config.ts');
    expect(imports.get('src/cli/index.ts')!.length).toBeGreaterThan(3);
  });

  it('places every file in src/ on a floor', () => {
    const unplaced = files.filter((file) => file.startsWith('src/') && floorOf(file) < 0);
    expect(unplaced, 'add each to FLOORS in src/architecture.test.ts').toEqual([]);
  });

  it('imports only what exists', () => {
    const missing = [...imports].flatMap(([file, targets]) => targets.filter((to) => !existsSync(join(PROJECT_ROOT, to))).map((to) => `${file} -> ${to}`));
    expect(missing).toEqual([]);
  });

  it('has no lower floor importing a higher one', () => {
    const upward = files
      .filter((file) => file.startsWith('src/'))
      .flatMap((file) => edges(file).filter((to) => to.startsWith('src/') && floorOf(to) > floorOf(file)).map((to) => `${file} (${FLOORS[floorOf(file)]![0]}) -> ${to} (${FLOORS[floorOf(to)]![0]})`));
    expect(upward).toEqual([]);
  });

  it('keeps the SDK free of src/', () => {
    const intoSource = files.filter((file) => file.startsWith('sdk/')).flatMap((file) => edges(file).filter((to) => to.startsWith('src/')).map((to) => `${file} -> ${to}`));
    expect(intoSource).toEqual([]);
  });

  it('has no import circles', () => {
    expect(circles().map((circle) => circle.join(' -> '))).toEqual([]);
  });

  it('allows only imports that still exist', () => {
    // A stale entry would silently permit the import again later.
    const stale = ALLOWED.filter((entry) => {
      const [from, to] = entry.split(' -> ') as [string, string];
      return !imports.get(from)?.includes(to);
    });
    expect(stale, 'delete these from ALLOWED in src/architecture.test.ts').toEqual([]);
  });
});
