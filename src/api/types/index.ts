// The Kubernetes API types svcnet serves and consumes, one module per group/version, with the
// upstream field names (k8s.io/api, k8s.io/apimachinery). Import a group's module directly
// (`../api/types/core/v1.js`) or the versioned namespaces here.
export * as metav1 from './meta/v1.js';
export * as corev1 from './core/v1.js';
export * as discoveryv1 from './discovery/v1.js';
export * as appsv1 from './apps/v1.js';
export * as coordinationv1 from './coordination/v1.js';
