// The namespace controller: empties and finalizes Namespaces being deleted.
export { FINALIZER_KUBERNETES, NamespaceController, type NamespaceControllerOptions } from './controller.js';
export { namespaceConditions, NamespaceConditionTypes, remainingFailures } from './conditions.js';
