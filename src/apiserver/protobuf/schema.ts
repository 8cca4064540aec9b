// Builds the protobufjs reflection tree once from the generated descriptors and maps a request's
// apiVersion/kind to the message that encodes it.
import protobuf from 'protobufjs';
import type { Type } from 'protobufjs';
import { KINDS, MESSAGES } from './schema-data.js';

/** Which protobuf package carries each API group version (the Go package that owns the types). */
const PACKAGE_BY_API_VERSION: Readonly<Record<string, string>> = {
  v1: 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'discovery.k8s.io/v1': 'k8s.io.api.discovery.v1',
  'coordination.k8s.io/v1': 'k8s.io.api.coordination.v1',
  'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
  'batch/v1': 'k8s.io.api.batch.v1',
  'rbac.authorization.k8s.io/v1': 'k8s.io.api.rbac.v1',
  'networking.k8s.io/v1': 'k8s.io.api.networking.v1',
  'policy/v1': 'k8s.io.api.policy.v1',
  'events.k8s.io/v1': 'k8s.io.api.events.v1',
  'authentication.k8s.io/v1': 'k8s.io.api.authentication.v1',
  'scheduling.k8s.io/v1': 'k8s.io.api.scheduling.v1',
  'meta.k8s.io/v1': 'k8s.io.apimachinery.pkg.apis.meta.v1',
};

const META_PACKAGE = 'k8s.io.apimachinery.pkg.apis.meta.v1';
/** metav1.AddToGroupVersion registers the option kinds into every group version. */
const META_KINDS_IN_EVERY_VERSION = new Set(['DeleteOptions']);

export const UNKNOWN_TYPE_NAME = 'k8s.io.apimachinery.pkg.runtime.Unknown';

let root: protobuf.Root | undefined;

function buildRoot(): protobuf.Root {
  const r = new protobuf.Root();
  for (const [fullName, desc] of Object.entries(MESSAGES)) {
    const dot = fullName.lastIndexOf('.');
    r.define(fullName.slice(0, dot)).add(protobuf.Type.fromJSON(fullName.slice(dot + 1), desc));
  }
  r.resolveAll();
  return r;
}

export function messageType(fullName: string): Type {
  root ??= buildRoot();
  return root.lookupType(fullName);
}

/** The message for a kind in an apiVersion, or undefined when we have no schema for it. */
export function typeForKind(apiVersion: string, kind: string): Type | undefined {
  // apiVersion and kind come from the request (the protobuf envelope): own members only.
  const pkg = META_KINDS_IN_EVERY_VERSION.has(kind)
    ? META_PACKAGE
    : Object.hasOwn(PACKAGE_BY_API_VERSION, apiVersion) ? PACKAGE_BY_API_VERSION[apiVersion] : undefined;
  if (!pkg || !Object.hasOwn(KINDS, pkg) || !KINDS[pkg]!.includes(kind)) return undefined;
  return messageType(`${pkg}.${kind}`);
}
