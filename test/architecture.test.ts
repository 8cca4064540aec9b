// Enforces docs/architecture.md: the layer table there is the rule (parsed from the doc, so the
// picture a newcomer reads and the check cannot drift apart), plus "controllers import each other
// only through index.ts" and "the typed model is declared once, in src/api/types".
// Imports are read with TypeScript's own pre-processor (static, `export … from`, dynamic and
// type-only imports alike), not with a regular expression.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const srcRoot = join(repoRoot, 'src');

interface SourceFile {
  /** Path relative to src/, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** folder → the folders it may import, from the `| folder | what | may import |` table. */
function parseLayerTable(markdown: string): Map<string, Set<string>> {
  const layers = new Map<string, Set<string>>();
  const section = markdown.split(/^## The layers$/m)[1]?.split(/^## /m)[0] ?? '';
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // ['', folder, what, may import, '']
    if (cells.length !== 5 || cells[1] === 'folder' || !/^[a-z][a-z-]*$/.test(cells[1]!)) continue;
    const allowed = cells[3] === '—' ? [] : cells[3]!.split(',').map((s) => s.trim());
    layers.set(cells[1]!, new Set(allowed));
  }
  return layers;
}

function listSources(dir: string, out: SourceFile[] = []): SourceFile[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) listSources(full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
      out.push({ path: relative(srcRoot, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  }
  return out;
}

const isTest = (path: string) => path.endsWith('.test.ts');

/** The src/-relative targets of a file's relative imports ('.js' specifiers → their '.ts'). */
function importTargets(file: SourceFile): string[] {
  const { importedFiles } = ts.preProcessFile(file.text, true, true);
  const targets: string[] = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    targets.push(posix.normalize(posix.join(posix.dirname(file.path), fileName)).replace(/\.js$/, '.ts'));
  }
  return targets;
}

function checkImports(files: readonly SourceFile[], layers: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const layer = file.path.split('/')[0]!;
    if (!file.path.includes('/')) {
      problems.push(`${file.path}: a file directly in src/ belongs to no layer`);
      continue;
    }
    const allowed = layers.get(layer);
    if (!allowed) {
      problems.push(`src/${file.path}: folder src/${layer}/ is not in the layer table of docs/architecture.md`);
      continue;
    }
    for (const target of importTargets(file)) {
      if (target.startsWith('../')) {
        if (!isTest(file.path)) problems.push(`src/${file.path} imports ${target}, outside src/`);
        continue;
      }
      if (isTest(target)) {
        problems.push(`src/${file.path} imports the test src/${target}`);
        continue;
      }
      const targetLayer = target.split('/')[0]!;
      if (!isTest(file.path) && targetLayer !== layer && !allowed.has(targetLayer)) {
        problems.push(`src/${file.path} imports src/${target}: ${layer} may not import ${targetLayer}`);
      }
      if (!isTest(file.path)) problems.push(...checkControllerImport(file.path, target));
    }
  }
  return problems;
}

/** controllers/A/* may reach controllers/B/ only through controllers/B/index.ts. */
function checkControllerImport(from: string, target: string): string[] {
  const [fromTop, fromController] = from.split('/');
  const [targetTop, targetController, ...rest] = target.split('/');
  if (fromTop !== 'controllers' || targetTop !== 'controllers' || rest.length === 0) return [];
  if (targetController === fromController || targetController === 'shared') return [];
  if (rest.join('/') === 'index.ts') return [];
  return [`src/${from} imports src/${target}: use controllers/${targetController}/index.ts or controllers/shared/`];
}

const MODEL_TYPES = ['Service', 'Pod', 'Node', 'EndpointSlice', 'Endpoints'];
const declaration = new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?(?:interface|type|class|enum)\\s+(${MODEL_TYPES.join('|')})\\b`, 'gm');

function checkModelTypes(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (file.path.startsWith('api/types/')) continue;
    for (const m of file.text.matchAll(declaration)) {
      const line = file.text.slice(0, m.index).split('\n').length;
      problems.push(`src/${file.path}:${line} declares ${m[1]}; use the one in src/api/types`);
    }
  }
  return problems;
}

describe('architecture (docs/architecture.md)', () => {
  const layers = parseLayerTable(readFileSync(join(repoRoot, 'docs', 'architecture.md'), 'utf8'));
  const files = listSources(srcRoot);

  it('has a layer table naming every folder under src/', () => {
    assert.ok(layers.size >= 10, `parsed only ${layers.size} layers from docs/architecture.md`);
    for (const name of readdirSync(srcRoot)) {
      if (statSync(join(srcRoot, name)).isDirectory()) assert.ok(layers.has(name), `src/${name}/ is missing from the table`);
    }
    for (const [layer, allowed] of layers) {
      for (const target of allowed) assert.ok(layers.has(target), `${layer} may import unknown layer ${target}`);
    }
  });

  it('every import in src/ follows the layer table and the controller rule', () => {
    assert.ok(files.length > 100, `read only ${files.length} files`);
    assert.deepEqual(checkImports(files, layers), []);
  });

  it('Service, Pod, Node, EndpointSlice and Endpoints are declared only in src/api/types', () => {
    assert.deepEqual(checkModelTypes(files), []);
  });

  it('the checks catch what they are meant to catch', () => {
    const fake = (path: string, text: string): SourceFile => ({ path, text });
    const violating = [
      fake('util/x.ts', "import { a } from '../api/y.js';"),
      fake('node/x.ts', "const pki = await import('../apiserver/pki/index.js');"),
      fake('controllers/endpoints/c.ts', "export { b } from '../endpointslice/controller-util.js';"),
      fake('controllers/endpoints/d.ts', "import type { T } from '../../apiserver/router.js';"),
      fake('node/runtime/types.ts', 'export interface Pod { x: 1 }\ntype Service = {};'),
    ];
    const imports = checkImports(violating, layers);
    assert.equal(imports.length, 4, imports.join('\n'));
    assert.match(imports[0]!, /util may not import api/);
    assert.match(imports[1]!, /node may not import apiserver/);
    assert.match(imports[2]!, /use controllers\/endpointslice\/index\.ts/);
    assert.match(imports[3]!, /controllers may not import apiserver/);
    assert.equal(checkModelTypes(violating).length, 2);
    const allowed = [
      fake('controllers/endpoints/c.ts', "import { b } from '../endpointslice/index.js'; import { q } from '../shared/queue.js';"),
      fake('apiserver/x.test.ts', "import { h } from '../../test/helpers/apiserver.js'; import { c } from '../client/index.js';"),
      fake('node/x.ts', "import { Pod } from '../api/types/index.js'; import { ip } from '../util/ip.js';"),
    ];
    assert.deepEqual(checkImports(allowed, layers), []);
  });
});
