import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPortName,
  validateName,
} from './names.js';
import { isValidIP, validateNonSpecialIP } from './ip.js';

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

test('DNS name checks return upstream messages (double space included)', () => {
  const cases: [string, (v: string) => string[], string, string[]][] = [
    ['1035 ok', isDNS1035Label, 'my-svc', []],
    ['1035 leading digit', isDNS1035Label, '1abc', [DNS1035]],
    ['1035 too long', isDNS1035Label, 'a'.repeat(64), ['must be no more than 63 characters']],
    ['1123 label ok', isDNS1123Label, '123-abc', []],
    ['1123 label upper', isDNS1123Label, 'Foo', [DNS1123_LABEL]],
    ['1123 label dots', isDNS1123Label, 'a.b', ['must not contain dots']],
    ['subdomain ok', isDNS1123Subdomain, 'a.b-c', []],
    ['subdomain bad', isDNS1123Subdomain, 'acmeclient-AES-default', [DNS1123_SUBDOMAIN]],
    ['subdomain long', isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
  ];
  for (const [name, fn, value, want] of cases) assert.deepEqual(fn(value), want, name);
});

test('qualified names and label values', () => {
  assert.deepEqual(isQualifiedName('example.com/MyName'), []);
  assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('a/'), [
    'name part must be non-empty',
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
  assert.equal(isQualifiedName('a/b/c').length, 1);
  assert.match(isQualifiedName('a/b/c')[0]!, /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('-x'), [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
  assert.deepEqual(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('port names (IANA_SVC_NAME) as in api.md §2b', () => {
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('a'.repeat(16)), ['must be no more than 15 characters']);
  assert.deepEqual(isValidPortName('HTTP'), ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('80'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
  assert.deepEqual(isValidPortName('-ab'), ['must not begin or end with a hyphen']);
});

test('config keys, path segments and generateName masking', () => {
  assert.deepEqual(isConfigMapKey('key.name'), []);
  assert.deepEqual(isConfigMapKey('a b'), [
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  assert.deepEqual(isConfigMapKey('..x'), ["must not start with '..'"]);
  assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(isValidPathSegmentName('a/b%'), ["may not contain '/'", "may not contain '%'"]);
  assert.deepEqual(validateName('dns1123Subdomain', 'web-', true), []);
  assert.notDeepEqual(validateName('dns1123Subdomain', 'web-', false), []);
});

test('IP checks', () => {
  assert.deepEqual(isValidIP('10.0.0.1'), []);
  assert.deepEqual(isValidIP('2001:db8::1'), []);
  assert.deepEqual(isValidIP('010.001.0.1'), [], 'sloppy IPv4 with leading zeros');
  assert.deepEqual(isValidIP('x'), ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  const s = (ip: string) => validateNonSpecialIP('spec.externalIPs[0]', ip).map(String);
  assert.deepEqual(s('0.0.0.0'), ['spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']);
  assert.deepEqual(s('::1'), ['spec.externalIPs[0]: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  assert.deepEqual(s('169.254.1.1'), ['spec.externalIPs[0]: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
  assert.deepEqual(s('224.0.0.5'), ['spec.externalIPs[0]: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
  assert.deepEqual(s('8.8.8.8'), []);
});
