// The slice of a structured-merge-diff schema that server-side apply needs: which values are
// structs (named fields), which are maps (every key is owned on its own), how each list merges
// (`x-kubernetes-list-type` atomic | set | map with `x-kubernetes-list-map-keys`), and which
// structs or maps are atomic (`x-kubernetes-map-type: atomic`, `+structType=atomic`).

export const ListTypes = ['atomic', 'set', 'map'] as const;
export type ListType = (typeof ListTypes)[number];

export type SchemaNode =
  | { readonly type: 'scalar' }
  | {
      readonly type: 'struct';
      readonly fields: Readonly<Record<string, SchemaNode>>;
      readonly atomic?: boolean;
      /** A non-pointer Go struct (`default: {}` upstream): always present, so never added or removed itself. */
      readonly zero?: boolean;
      /** The node of fields not listed (default: loose). */
      readonly rest?: SchemaNode;
    }
  | { readonly type: 'map'; readonly element: SchemaNode; readonly atomic?: boolean }
  | {
      readonly type: 'list';
      readonly listType: ListType;
      readonly element: SchemaNode;
      readonly keys?: readonly string[];
      /** Defaults of key fields (Service/container port `protocol: TCP`), used when an item omits them. */
      readonly keyDefaults?: Readonly<Record<string, unknown>>;
      /** Serialized even when empty (no omitempty), so never added or removed itself. */
      readonly zero?: boolean;
    }
  /** A field this table does not describe: objects are structs, lists atomic. */
  | { readonly type: 'loose' }
  /** A kind with no schema, as upstream's deduced type: objects are maps, lists atomic. */
  | { readonly type: 'untyped' };

export interface ApplySchema {
  readonly root: SchemaNode;
  /**
   * Fields a write to the resource (key '') or a subresource (e.g. 'status') does not own, from
   * the strategies' GetResetFields: writes to the main resource never own status, and so on.
   */
  readonly resetFields: Readonly<Record<string, readonly (readonly string[])[]>>;
}

export const SCALAR: SchemaNode = { type: 'scalar' };
export const LOOSE: SchemaNode = { type: 'loose' };
export const UNTYPED: SchemaNode = { type: 'untyped' };

export function struct(
  fields: Record<string, SchemaNode>,
  opts: { atomic?: boolean; zero?: boolean; rest?: SchemaNode } = {},
): SchemaNode {
  return { type: 'struct', fields, ...opts };
}

/** A non-pointer struct field. */
export function zeroStruct(fields: Record<string, SchemaNode>): SchemaNode {
  return struct(fields, { zero: true });
}

export function atomicStruct(opts: { zero?: boolean } = {}): SchemaNode {
  return struct({}, { atomic: true, ...opts });
}

export function granularMap(element: SchemaNode = SCALAR): SchemaNode {
  return { type: 'map', element };
}

export function atomicMap(): SchemaNode {
  return { type: 'map', element: SCALAR, atomic: true };
}

export function atomicList(element: SchemaNode = LOOSE): SchemaNode {
  return { type: 'list', listType: 'atomic', element };
}

export function setList(): SchemaNode {
  return { type: 'list', listType: 'set', element: SCALAR };
}

export function mapList(
  keys: readonly string[],
  element: SchemaNode,
  opts: { keyDefaults?: Record<string, unknown>; zero?: boolean } = {},
): SchemaNode {
  return { type: 'list', listType: 'map', keys, element, ...opts };
}

/** The node for a struct's field; fields the table leaves out are loose. */
export function fieldNode(node: SchemaNode, name: string): SchemaNode {
  switch (node.type) {
    case 'struct':
      // Own members only: a key such as "constructor" is a field name like any other.
      return (Object.hasOwn(node.fields, name) ? node.fields[name] : undefined) ?? node.rest ?? LOOSE;
    case 'map':
      return node.element;
    case 'untyped':
      return UNTYPED;
    default:
      return LOOSE;
  }
}

/** What a value is under a node: how it is walked. */
export type Shape = 'leaf' | 'struct' | 'map' | 'list';

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The shape of `v` (or of `alt` when `v` is absent) under `node`; values that do not fit the node are leaves. */
export function shapeOf(node: SchemaNode, v: unknown, alt?: unknown): Shape {
  const probe = v === undefined ? alt : v;
  switch (node.type) {
    case 'scalar':
      return 'leaf';
    case 'struct':
      return node.atomic || (probe !== undefined && !isObject(probe)) ? 'leaf' : 'struct';
    case 'map':
      return node.atomic || (probe !== undefined && !isObject(probe)) ? 'leaf' : 'map';
    case 'list':
      return node.listType === 'atomic' || (probe !== undefined && !Array.isArray(probe)) ? 'leaf' : 'list';
    case 'loose':
      return isObject(probe) ? 'struct' : 'leaf';
    case 'untyped':
      return isObject(probe) ? 'map' : 'leaf';
  }
}

/** True when the node is always serialized upstream, so its own presence never changes. */
export function isZero(node: SchemaNode): boolean {
  return (node.type === 'struct' || node.type === 'list') && node.zero === true;
}
