// Name checks the controllers need before asking the API server for a generated name.

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * apimachinery's ValidateObjectMeta with a generateName prefix: the prefix is valid when the
 * prefix plus the generated suffix ("x" stands in for it) is a DNS-1123 subdomain.
 */
export function isValidGenerateNamePrefix(prefix: string): boolean {
  const candidate = `${prefix.length > 58 ? prefix.slice(0, 58) : prefix}x`;
  return candidate.length <= 253 && DNS1123_SUBDOMAIN.test(candidate);
}
