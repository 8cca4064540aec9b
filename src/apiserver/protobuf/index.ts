export { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './decode.js';
export type { DecodedObject } from './decode.js';
