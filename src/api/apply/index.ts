// Server-side apply and managedFields, as pure functions on plain JSON objects.
export { FieldSet } from './field-set.js';
export type { FieldsV1 } from './field-set.js';
export { fieldPE, keyPE, valuePE, indexPE, pathToString, peToString } from './path-element.js';
export type { Path, PathElement } from './path-element.js';
export { ListTypes, LOOSE, SCALAR, UNTYPED } from './schema.js';
export type { ApplySchema, ListType, SchemaNode } from './schema.js';
export { groupOf, schemaFor } from './kind-schemas.js';
export { compareObjects, fieldSetOf, mergeObjects, removeItems } from './typed-value.js';
export type { Comparison } from './typed-value.js';
export { decodeManagedFields, encodeManagedFields, formatTime, ManagedFieldsOperations } from './managed-fields.js';
export type { ManagedFieldsEntry, ManagedFieldsOperation } from './managed-fields.js';
export { conflictError, conflictMessage } from './conflict.js';
export type { Conflict } from './conflict.js';
export { LAST_APPLIED_ANNOTATION, serverSideApply } from './server-side-apply.js';
export type { ApplyOptions, ApplyResult } from './server-side-apply.js';
export { FIELD_MANAGER_MAX_LENGTH, managerFromUserAgent, managerOrUserAgent, trackUpdate } from './track-update.js';
export type { UpdateOptions } from './track-update.js';
