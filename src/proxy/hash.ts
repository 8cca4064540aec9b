// The hashes kube-proxy puts in chain names: Go's base32.StdEncoding (RFC 4648 alphabet A-Z2-7,
// upper case) of a SHA-256, truncated. Node has no base32 codec, so the encoder is here.
// Sources: pkg/proxy/iptables/proxier.go portProtoHash / servicePortEndpointChainName,
// pkg/proxy/nftables/proxier.go hashAndTruncate.
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Base32 (StdEncoding, no padding needed for our prefixes) of the first bytes of `data`. */
export function base32(data: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** base32(sha256(text)) cut to `length` characters (16 for iptables, 8 for nftables). */
export function sha256Base32(text: string, length: number): string {
  return base32(createHash('sha256').update(text).digest()).slice(0, length);
}
