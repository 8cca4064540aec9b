// PATCH bodies as kube-apiserver applies them (server-side apply lives elsewhere).
export { applyMergePatch } from './json-merge-patch.js';
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export {
  PATCH_META,
  EMPTY_PATCH_META,
  patchMetaFor,
  type PatchMeta,
  type PatchSchema,
  type PatchStrategy,
} from './patch-meta.js';
export { GENERIC_UNPROCESSABLE_MESSAGE } from './patch-errors.js';
export type { JsonMap } from './json-value.js';

/** The Content-Types PATCH accepts, in the order the apiserver's 415 message lists them. */
export const PATCH_CONTENT_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
  'application/strategic-merge-patch+json',
] as const;

export type PatchContentType = (typeof PATCH_CONTENT_TYPES)[number];

export function isPatchContentType(contentType: string): contentType is PatchContentType {
  return (PATCH_CONTENT_TYPES as readonly string[]).includes(contentType);
}
