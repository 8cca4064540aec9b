// RFC 6902 JSON patch (application/json-patch+json), applied with fast-json-patch and reported
// the way patch.go's applyJSPatch does:
//  - the body must decode as jsonpatch.Patch ([]map[string]*RawMessage), else 400 with the
//    encoding/json message;
//  - more than 10000 operations → 413 (maxJSONPatchOperations);
//  - any failure while applying (missing path, failed test, unknown op, ...) → 422 with the
//    generic message only (NewGenericServerResponse drops evanphx's text).
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { apiErrors } from '../errors.js';
import { badPatch, unprocessablePatch } from './patch-errors.js';
import { jsonKind } from './go-format.js';
import { cloneJson, isJsonMap, toPlainJson, type JsonMap } from './json-value.js';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

function decodePatch(ops: unknown): readonly unknown[] {
  if (ops === null) return []; // json.Unmarshal of null into a slice leaves it empty
  if (!Array.isArray(ops)) {
    throw badPatch(`json: cannot unmarshal ${jsonKind(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (op !== null && !isJsonMap(op)) {
      throw badPatch(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return ops;
}

/** Applies RFC 6902 operations to a copy of `original`. */
export function applyJsonPatch(original: Readonly<JsonMap>, ops: unknown): JsonMap {
  const decoded = decodePatch(ops);
  if (decoded.length > MAX_JSON_PATCH_OPERATIONS) {
    throw apiErrors.requestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${decoded.length}`,
    );
  }
  let result: unknown;
  try {
    // validate=true makes remove/replace of a missing path fail, as evanphx v4 does by default.
    const doc = cloneJson(original) as JsonMap;
    result = fastJsonPatch.applyPatch(doc, cloneJson(decoded) as Operation[], true, true).newDocument;
  } catch {
    throw unprocessablePatch();
  }
  // Replacing the root with a non-object cannot decode into a Kubernetes object.
  if (!isJsonMap(result)) throw unprocessablePatch();
  return toPlainJson(result);
}
