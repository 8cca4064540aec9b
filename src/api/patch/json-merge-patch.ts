// RFC 7396 JSON merge patch (application/merge-patch+json), as the apiserver applies it with
// gopkg.in/evanphx/json-patch.v4 MergePatch. kubectl label/annotate/scale and `patch --type=merge`
// send this type.
import { badPatch } from './patch-errors.js';
import { cloneJson, isJsonMap, toPlainJson, type JsonMap } from './json-value.js';

/**
 * evanphx pruneNulls: a newly inserted value keeps no null members (also inside arrays).
 * Iterative: the value may be nested as deep as the decoder allows.
 */
function pruneNulls(root: unknown): void {
  const work = [root];
  while (work.length > 0) {
    const v = work.pop();
    if (Array.isArray(v)) {
      work.push(...v);
    } else if (isJsonMap(v)) {
      for (const [k, item] of Object.entries(v)) {
        if (item === null) delete v[k];
        else work.push(item);
      }
    }
  }
}

function mergeDocs(doc: JsonMap, patch: JsonMap): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = doc[k];
    if (cur === undefined || cur === null || !isJsonMap(cur)) {
      // Absent, null or not an object: the patch value replaces it wholesale.
      pruneNulls(v);
      doc[k] = v;
    } else if (isJsonMap(v)) {
      mergeDocs(cur, v);
    } else {
      // An object replaced by an array or scalar; evanphx keeps the value as sent.
      doc[k] = v;
    }
  }
}

/**
 * Applies a merge patch to a copy of `original`. A patch that is not a JSON object is rejected
 * like evanphx does (ErrBadJSONPatch → 400 "Invalid JSON Patch"). Upstream lets an array patch
 * through and fails later decoding it into the typed object (422); we reject it up front.
 */
export function applyMergePatch(original: Readonly<JsonMap>, patch: unknown): JsonMap {
  if (!isJsonMap(patch)) throw badPatch('Invalid JSON Patch');
  const doc = cloneJson(original) as JsonMap;
  mergeDocs(doc, cloneJson(patch));
  return toPlainJson(doc);
}
