// Decodes a `application/vnd.kubernetes.protobuf` request body: the 4-byte magic `k8s\0`, then a
// runtime.Unknown whose typeMeta names the kind and whose raw bytes are the object itself.
import { apiErrors, StatusError } from '../../api/errors.js';
import { decodeMessage } from './message-decoder.js';
import { messageType, typeForKind, UNKNOWN_TYPE_NAME } from './schema.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  /** The object as a JSON client would have sent it, with apiVersion and kind set. */
  object: Record<string, unknown>;
}

// runtime.Unknown's TypeMeta is inlined, as in its JSON form.
interface UnknownJson {
  apiVersion: string;
  kind: string;
  raw?: string;
  contentEncoding: string;
  contentType: string;
}

/**
 * Truncated or garbled wire data makes the reader throw (index out of range, invalid wire type):
 * that is the client's bad body, a 400 as the apiserver's decode errors are, never a 500.
 */
function decodeOrReject(type: Parameters<typeof decodeMessage>[0], bytes: Uint8Array): unknown {
  try {
    return decodeMessage(type, bytes);
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw apiErrors.badRequest(`unable to decode protobuf body: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function decodeKubernetesProtobuf(body: Uint8Array): DecodedObject {
  if (body.length < MAGIC.length || !MAGIC.equals(body.subarray(0, MAGIC.length))) {
    throw apiErrors.badRequest('unable to decode protobuf body: missing the "k8s\\x00" prefix of a Kubernetes protobuf object');
  }
  const envelope = decodeOrReject(messageType(UNKNOWN_TYPE_NAME), body.subarray(MAGIC.length)) as UnknownJson;
  const { apiVersion, kind } = envelope;
  if (!apiVersion || !kind) throw apiErrors.badRequest('unable to decode protobuf body: apiVersion and kind must be set in the envelope');
  if (envelope.contentEncoding) {
    throw apiErrors.badRequest(`unable to decode protobuf body: unsupported contentEncoding "${envelope.contentEncoding}"`);
  }
  const type = typeForKind(apiVersion, kind);
  if (!type) throw apiErrors.badRequest(`unable to decode protobuf body: no protobuf schema for kind "${kind}" in version "${apiVersion}"; send it as JSON`);
  const raw = Buffer.from(envelope.raw ?? '', 'base64');
  const decoded = decodeOrReject(type, raw) as Record<string, unknown>;
  return { apiVersion, kind, object: { apiVersion, kind, ...decoded } };
}
