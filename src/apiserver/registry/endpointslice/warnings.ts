// Warnings for EndpointSlice addresses that cannot carry Service traffic (svcnet's own; upstream
// has no such warnings). The proxy skips these endpoints, so a user who writes a selectorless
// Service's slice by hand learns why from `Warning:` lines instead of from silent drops.
//
// Validation already rejects unspecified, loopback, link-local and link-local multicast
// addresses in IPv4/IPv6 slices (ValidateEndpointIP, as upstream); they are classified here too so
// the function is complete on its own. The case validation cannot see is an address that is
// some Service's ClusterIP: the proxy does not send traffic to a virtual IP as a destination
// (as the Kubernetes Service docs say of Endpoints), and only the caller can look ClusterIPs up.
import { formatIP, isLinkLocalMulticast, isLinkLocalUnicast, isLoopback, isUnspecified, parseIPSloppy, type IP } from '../../../util/ip.js';

export interface EndpointSliceAddresses {
  readonly addressType?: string;
  readonly endpoints?: readonly { readonly addresses?: readonly string[] }[] | null;
}

/** At most this many warnings per request, then one that counts the rest. */
export const MAX_ADDRESS_WARNINGS = 10;

const SKIPPED = 'the proxy skips this endpoint';

/**
 * Warning texts for `slice`'s addresses. `clusterIPOwner` gets an address in canonical form
 * (as formatIP prints it) and answers `namespace/name` of the Service whose ClusterIP it is.
 */
export function endpointSliceAddressWarnings(slice: EndpointSliceAddresses, clusterIPOwner: (ip: string) => string | undefined): string[] {
  if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') return [];
  const out: string[] = [];
  let more = 0;
  (slice.endpoints ?? []).forEach((ep, i) => {
    (ep?.addresses ?? []).forEach((addr, j) => {
      const problem = addressProblem(addr, clusterIPOwner);
      if (problem === undefined) return;
      if (out.length < MAX_ADDRESS_WARNINGS) out.push(`endpoints[${i}].addresses[${j}]: ${addr} ${problem}; ${SKIPPED}`);
      else more++;
    });
  });
  if (more > 0) out.push(`endpoints: ${more} more ${more === 1 ? 'address' : 'addresses'} the proxy skips`);
  return out;
}

/** What is wrong with one address as an endpoint, or undefined if nothing is. */
export function addressProblem(addr: string, clusterIPOwner: (ip: string) => string | undefined): string | undefined {
  const ip = parseIPSloppy(addr);
  if (!ip) return undefined; // not an IP: validation's business
  const special = specialRange(ip);
  if (special) return special;
  const owner = clusterIPOwner(formatIP(ip));
  return owner === undefined ? undefined : `is the ClusterIP of Service ${owner}, not a Pod address`;
}

/** The special ranges of upstream's ValidateEndpointIP, worded as its messages are. */
function specialRange(ip: IP): string | undefined {
  if (isUnspecified(ip)) return `is unspecified (${ip.family === 'IPv4' ? '0.0.0.0' : '::'})`;
  if (isLoopback(ip)) return 'is in the loopback range (127.0.0.0/8, ::1/128)';
  if (isLinkLocalUnicast(ip)) return 'is in the link-local range (169.254.0.0/16, fe80::/10)';
  if (isLinkLocalMulticast(ip)) return 'is in the link-local multicast range (224.0.0.0/24, ff02::/10)';
  return undefined;
}
