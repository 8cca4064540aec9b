// A set of field paths, shaped like fieldpath.Set upstream: at each level, the elements that are
// members themselves and the children that hold deeper members. An element can be both (a list
// item the manager owns as a whole and whose fields it also owns), which FieldsV1 marks with `.`.
import { comparePE, isPathElement, pathToString } from './path-element.js';
import type { Path, PathElement } from './path-element.js';

/** FieldsV1 as stored in managedFields[].fieldsV1. */
export type FieldsV1 = { [key: string]: FieldsV1 };

export class FieldSet {
  readonly #members = new Set<PathElement>();
  readonly #children = new Map<PathElement, FieldSet>();

  static empty(): FieldSet {
    return new FieldSet();
  }

  static fromPaths(paths: readonly Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Decodes FieldsV1; throws on an element that is not `f:`/`k:`/`v:`/`i:` (upstream rejects those too). */
  static fromFieldsV1(v: unknown): FieldSet {
    const s = new FieldSet();
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('FieldsV1 must be an object');
    for (const [k, child] of Object.entries(v)) {
      if (k === '.') continue;
      if (!isPathElement(k)) throw new Error(`invalid path element ${JSON.stringify(k)}`);
      if (child === null || typeof child !== 'object' || Array.isArray(child)) throw new Error('FieldsV1 values must be objects');
      const keys = Object.keys(child);
      if (keys.length === 0 || keys.includes('.')) s.#members.add(k);
      if (keys.some((ck) => ck !== '.')) {
        const sub = FieldSet.fromFieldsV1(child);
        if (!sub.isEmpty()) s.#children.set(k, sub);
      }
    }
    return s;
  }

  /**
   * Adds a path. Mutates: only for sets the caller is building, since the results of union,
   * withPrefix and friends share nodes with their inputs.
   */
  insert(path: Path): this {
    if (path.length === 0) return this;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) {
      const pe = path[i]!;
      let next = node.#children.get(pe);
      if (!next) {
        next = new FieldSet();
        node.#children.set(pe, next);
      }
      node = next;
    }
    node.#members.add(path[path.length - 1]!);
    return this;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.#children.get(path[i]!);
    return node !== undefined && node.#members.has(path[path.length - 1]!);
  }

  isEmpty(): boolean {
    if (this.#members.size > 0) return false;
    for (const c of this.#children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  hasMember(pe: PathElement): boolean {
    return this.#members.has(pe);
  }

  /** The set of paths below `pe`, relative to it (Set.WithPrefix). */
  withPrefix(pe: PathElement): FieldSet {
    return this.#children.get(pe) ?? EMPTY;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.#members) out.#members.add(m);
    for (const m of other.#members) out.#members.add(m);
    for (const [pe, c] of this.#children) {
      const o = other.#children.get(pe);
      out.#children.set(pe, o ? c.union(o) : c);
    }
    for (const [pe, c] of other.#children) if (!this.#children.has(pe)) out.#children.set(pe, c);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.#members) if (other.#members.has(m)) out.#members.add(m);
    for (const [pe, c] of this.#children) {
      const o = other.#children.get(pe);
      if (!o) continue;
      const i = c.intersection(o);
      if (!i.isEmpty()) out.#children.set(pe, i);
    }
    return out;
  }

  /** Paths in this set that are not in `other` (exact paths; see recursiveDifference for subtrees). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.#members) if (!other.#members.has(m)) out.#members.add(m);
    for (const [pe, c] of this.#children) {
      const o = other.#children.get(pe);
      const d = o ? c.difference(o) : c;
      if (!d.isEmpty()) out.#children.set(pe, d);
    }
    return out;
  }

  /** Like difference, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.#members) if (!other.#members.has(m)) out.#members.add(m);
    for (const [pe, c] of this.#children) {
      if (other.#members.has(pe)) continue;
      const o = other.#children.get(pe);
      const d = o ? c.recursiveDifference(o) : c;
      if (!d.isEmpty()) out.#children.set(pe, d);
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).isEmpty() && other.difference(this).isEmpty();
  }

  /** Every member path, in upstream's Set.Iterate order: this level's members, then each child. */
  paths(): Path[] {
    const out: Path[] = [];
    this.#collect([], out);
    return out;
  }

  #collect(prefix: PathElement[], out: Path[]): void {
    for (const m of [...this.#members].sort(comparePE)) out.push([...prefix, m]);
    for (const pe of [...this.#children.keys()].sort(comparePE)) {
      this.#children.get(pe)!.#collect([...prefix, pe], out);
    }
  }

  /** FieldsV1 with keys in upstream's serialization order (`.` first, then elements sorted). */
  toFieldsV1(): FieldsV1 {
    const out: FieldsV1 = {};
    const all = new Set<PathElement>([...this.#members, ...this.#children.keys()]);
    for (const pe of [...all].sort(comparePE)) {
      const child = this.#children.get(pe);
      if (child && !child.isEmpty()) {
        const inner = child.toFieldsV1();
        out[pe] = this.#members.has(pe) ? { '.': {}, ...inner } : inner;
      } else if (this.#members.has(pe)) {
        out[pe] = {};
      }
    }
    return out;
  }

  toString(): string {
    return this.paths().map(pathToString).join('\n');
  }
}

const EMPTY = new FieldSet();
