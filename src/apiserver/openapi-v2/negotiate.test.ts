import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateV2 } from './negotiate.js';

test('/openapi/v2 negotiates like kube-openapi: JSON first, protobuf when asked for', () => {
  const cases: [string | undefined, string | undefined][] = [
    [undefined, 'json'],
    ['', 'json'],
    ['*/*', 'json'],
    ['application/*', 'json'],
    ['application/json', 'json'],
    ['application/json, */*', 'json'],
    // What client-go 1.27..1.33 send.
    ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'protobuf'],
    ['application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'protobuf'],
    ['application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'protobuf'],
    ['*/*;q=0.1, application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'protobuf'],
    ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf;q=0.2, application/json', 'json'],
    ['text/html', undefined],
    ['application/json;q=0', undefined],
    ['application/vnd.kubernetes.protobuf', undefined],
  ];
  for (const [accept, want] of cases) assert.equal(negotiateV2(accept), want, String(accept));
});
