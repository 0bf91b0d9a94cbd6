/**
 * The production import graph (issue #9 §4): every file and package the shipped processes load,
 * walked with the TypeScript compiler API from their entry points — the API, the worker and its
 * workflow bundle, the codec server, the CLI (with every command file it discovers) and the
 * migrator. `npx tsx scripts/import-graph.ts` prints it as JSON; test/unit/production-graph.test.ts
 * fails when a development-only file or package is in it.
 *
 * Eager edges (static `import`/`export … from`/`require`) are followed. A dynamic `import()` is a
 * lazy edge: it is recorded with its target, not followed, because it loads only when that code
 * runs (the CLI's development commands, the development system signing key outside production);
 * the test lists every lazy edge into development code by name. `import type` and
 * `export type` are erased by the compiler and are not edges.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

export const ROOT = join(__dirname, '..');

/** The processes the production image runs, and what each loads besides its static imports. */
export function productionEntryPoints(root = ROOT): string[] {
  const commands = readdirSync(join(root, 'cli', 'commands'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => `cli/commands/${f}`);
  return [
    'api/main.ts',
    'worker/main.ts',
    // worker/create-worker.ts hands this path to the SDK's bundler (workflowsPath), not to import.
    'workflows/index.ts',
    'security/codec/main.ts',
    'cli/hpc.ts',
    // cli/hpc.ts imports every file of cli/commands/ it finds (readdir), so each is an entry.
    ...commands,
    'db/migrate-cli.ts',
  ];
}

/** Folders and packages that are never shipped. */
export const DEV_ONLY_FOLDERS = ['dev/', 'test/', 'bench/', 'chaos/', 'simulation/', 'sandbox/', 'scripts/'];

export interface LazyEdge {
  from: string;
  to: string;
}

export interface ImportGraph {
  /** Repository files loaded eagerly, relative, sorted. */
  files: string[];
  /** npm packages loaded eagerly (by package name), sorted. */
  packages: string[];
  /** `import()` edges, not followed. */
  lazy: LazyEdge[];
  /** Who first imported each file or package (for the failure message). */
  via: Record<string, string>;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const BUILTINS = new Set(builtinModules);

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0] ?? '');
}

interface Edge {
  specifier: string;
  lazy: boolean;
}

function edgesOf(file: string): Edge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const edges: Edge[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.importClause?.isTypeOnly) edges.push({ specifier: node.moduleSpecifier.text, lazy: false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) edges.push({ specifier: node.moduleSpecifier.text, lazy: false });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr) && !node.isTypeOnly) edges.push({ specifier: expr.text, lazy: false });
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg)) {
        if (node.expression.kind === ts.SyntaxKind.ImportKeyword) edges.push({ specifier: arg.text, lazy: true });
        else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') edges.push({ specifier: arg.text, lazy: false });
        // require.resolve('../workflows') names a file for the bundler: covered by the entry points.
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Walks the eager import graph from the entry points. */
export function importGraph(entries: readonly string[] = productionEntryPoints(), root = ROOT): ImportGraph {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const options = parsed?.options ?? {};
  const rel = (abs: string): string => relative(root, abs).split(sep).join('/');
  const files = new Set<string>();
  const packages = new Set<string>();
  const lazy: LazyEdge[] = [];
  const via: Record<string, string> = {};
  const queue = entries.map((e) => join(root, e));
  for (const e of entries) via[e] = '(entry point)';
  while (queue.length > 0) {
    const abs = queue.shift()!;
    const me = rel(abs);
    if (files.has(me)) continue;
    files.add(me);
    if (!/\.(ts|js|mjs|cjs)$/.test(abs)) continue; // JSON data: no imports
    for (const edge of edgesOf(abs)) {
      if (isBuiltin(edge.specifier)) continue;
      const resolved = ts.resolveModuleName(edge.specifier, abs, options, ts.sys).resolvedModule;
      const inRepo = resolved && !resolved.isExternalLibraryImport && !resolved.resolvedFileName.includes(`${sep}node_modules${sep}`);
      const target = inRepo ? rel(resolved.resolvedFileName) : packageName(edge.specifier);
      if (!inRepo && edge.specifier.startsWith('.')) throw new Error(`${me}: cannot resolve ${edge.specifier}`);
      if (edge.lazy) {
        lazy.push({ from: me, to: target });
        continue;
      }
      via[target] ??= me;
      if (inRepo) queue.push(resolved.resolvedFileName);
      else packages.add(target);
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort(), lazy, via };
}

/** The packages only development installs (package.json devDependencies). */
export function devPackages(root = ROOT): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  return Object.keys(pkg.devDependencies ?? {});
}

export function isDevOnlyFile(file: string): boolean {
  return DEV_ONLY_FOLDERS.some((d) => file.startsWith(d));
}

if (require.main === module) {
  const g = importGraph();
  process.stdout.write(`${JSON.stringify({ entries: productionEntryPoints(), files: g.files, packages: g.packages, lazy: g.lazy }, null, 2)}\n`);
}
