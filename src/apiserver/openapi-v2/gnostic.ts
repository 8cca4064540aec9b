// Swagger JSON → gnostic openapi_v2.Document, the protobuf client-go decodes /openapi/v2 into.
//
// This mirrors what kube-apiserver does (kube-openapi handler.ToProtoBinary: openapi_v2.ParseDocument
// of the JSON, then proto.Marshal): each `x-…` key becomes a NamedAny whose Any carries only `yaml`,
// the YAML rendering of the JSON value (`group: apps\nkind: Deployment\nversion: v1\n`), which is
// what kubectl's QueryParamVerifier unmarshals. Values that are empty are left out, as proto3 does.
import protobuf from 'protobufjs';
import { stringify } from 'yaml';
import { GNOSTIC_OPENAPI_V2 } from './descriptor-data.js';
import { METHODS, type SwaggerDocument, type SwaggerOperation, type SwaggerParameter, type SwaggerPathItem } from './swagger.js';

let root: protobuf.Root | undefined;

/** The openapi.v2 (and google.protobuf) reflection tree, built once. */
export function gnosticRoot(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(GNOSTIC_OPENAPI_V2 as protobuf.INamespace);
  return root;
}

export function documentType(): protobuf.Type {
  return gnosticRoot().lookupType('openapi.v2.Document');
}

type Msg = Record<string, unknown>;

/** gnostic's compiler.Marshal renders an extension's value with yaml.v3; `yaml` writes the same for these shapes. */
function namedAny(name: string, value: unknown): Msg {
  return { name, value: { yaml: stringify(value) } };
}

function vendorExtensions(obj: object): Msg[] {
  return Object.entries(obj)
    .filter(([k]) => k.startsWith('x-'))
    .map(([k, v]) => namedAny(k, v));
}

/** Copies the set, non-empty fields (proto3 omits defaults; so does gnostic's output). */
function present(fields: Msg): Msg {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== false && v !== '' && !(Array.isArray(v) && v.length === 0)));
}

function parameter(p: SwaggerParameter): Msg {
  if (p.in === 'body') {
    const schema = p.schema ? { type: { value: [p.schema.type] } } : undefined;
    return { parameter: { bodyParameter: present({ description: p.description, name: p.name, in: p.in, required: p.required, schema }) } };
  }
  const sub = present({ required: p.required, in: p.in, description: p.description, name: p.name, type: p.type, uniqueItems: p.uniqueItems });
  return { parameter: { nonBodyParameter: p.in === 'query' ? { queryParameterSubSchema: sub } : { pathParameterSubSchema: sub } } };
}

function operation(op: SwaggerOperation): Msg {
  return present({
    tags: op.tags,
    description: op.description,
    operationId: op.operationId,
    produces: op.produces,
    consumes: op.consumes,
    parameters: op.parameters?.map(parameter),
    responses: {
      responseCode: Object.entries(op.responses).map(([code, r]) => ({ name: code, value: { response: { description: r.description } } })),
    },
    schemes: op.schemes,
    vendorExtension: vendorExtensions(op),
  });
}

function pathItem(item: SwaggerPathItem): Msg {
  const out: Msg = {};
  for (const m of METHODS) {
    const op = item[m];
    if (op) out[m] = operation(op);
  }
  if (item.parameters?.length) out['parameters'] = item.parameters.map(parameter);
  return out;
}

/** The gnostic Document as a plain object (protobufjs field names). */
export function toGnostic(doc: SwaggerDocument): Msg {
  return {
    swagger: doc.swagger,
    info: { title: doc.info.title, version: doc.info.version },
    paths: { path: Object.entries(doc.paths).map(([name, item]) => ({ name, value: pathItem(item) })) },
  };
}

export function encodeDocument(doc: SwaggerDocument): Buffer {
  const type = documentType();
  const msg = type.fromObject(toGnostic(doc));
  return Buffer.from(type.encode(msg).finish());
}
