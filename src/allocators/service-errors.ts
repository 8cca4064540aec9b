// How the Service registry turns allocator errors into API errors
// (pkg/registry/core/service/storage/alloc.go): a requested value that cannot be had is a 422
// on the field holding it; exhaustion and unparsable values are 500s.
import { apiErrors } from '../api/errors.js';
import type { StatusError } from '../api/errors.js';
import { fieldErr, GoValue, goStringSlice } from '../api/field-errors.js';
import type { FieldError } from '../api/field-errors.js';
import { AllocationError } from './errors.js';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * `spec.clusterIPs: Invalid value: []string{"10.0.0.10"}: failed to allocate IP 10.0.0.10: <err>`
 * The value is the whole clusterIPs slice; `ip` is the requested text as the user sent it.
 */
export function clusterIPFieldError(clusterIPs: readonly string[], ip: string, err: unknown): FieldError {
  return fieldErr.invalid('spec.clusterIPs', new GoValue(goStringSlice(clusterIPs)), `failed to allocate IP ${ip}: ${messageOf(err)}`);
}

/** 500 `Internal error occurred: failed to allocate a serviceIP: range is full`. */
export function serviceIPAllocateNextError(err: unknown): StatusError {
  return apiErrors.internal(`failed to allocate a serviceIP: ${messageOf(err)}`);
}

/**
 * The StatusError for a failed specific-IP allocation: 500 when the text is not an IP
 * (`failed to parse service IP "x"`), otherwise the 422 on spec.clusterIPs.
 */
export function clusterIPAllocateError(serviceName: string, clusterIPs: readonly string[], ip: string, err: unknown): StatusError {
  if (err instanceof AllocationError && err.code === 'Invalid') return apiErrors.internal(err.message);
  return apiErrors.invalid('', 'Service', serviceName, [clusterIPFieldError(clusterIPs, ip, err)]);
}

/** `spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated`. */
export function nodePortFieldError(portIndex: number, nodePort: number, err: unknown): FieldError {
  return fieldErr.invalid(`spec.ports[${portIndex}].nodePort`, nodePort, messageOf(err));
}

export function nodePortAllocateError(serviceName: string, portIndex: number, nodePort: number, err: unknown): StatusError {
  return apiErrors.invalid('', 'Service', serviceName, [nodePortFieldError(portIndex, nodePort, err)]);
}

/** 500 `Internal error occurred: failed to allocate a nodePort: range is full`. */
export function nodePortAllocateNextError(err: unknown): StatusError {
  return apiErrors.internal(`failed to allocate a nodePort: ${messageOf(err)}`);
}

/**
 * 500s for healthCheckNodePort: `failed to allocate requested HealthCheck NodePort 30100: <err>`
 * when one was requested, else `failed to allocate a HealthCheck NodePort 0: <err>` (upstream
 * prints its shadowed, still-zero variable there).
 */
export function healthCheckNodePortError(requested: number | undefined, err: unknown): StatusError {
  return requested
    ? apiErrors.internal(`failed to allocate requested HealthCheck NodePort ${requested}: ${messageOf(err)}`)
    : apiErrors.internal(`failed to allocate a HealthCheck NodePort 0: ${messageOf(err)}`);
}
