// The API server side's pure parts: Pod/container resolution messages, log option validation,
// proxy path handling and protocol negotiation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/errors.js';
import type { Pod } from '../../api/types/core/v1.js';
import { assignedNode, splitSchemeNamePort, validateContainer } from './pod-target.js';
import { containerLogsPath, nodeLogError, parsePodLogOptions } from './pod-logs.js';
import { rewriteLocation, splitProxyPath } from './proxy.js';
import { negotiate, WS_EXEC_PROTOCOLS } from './exec-upgrade.js';
import { NodeResponseError } from './node-connection.js';

const pod = (containers: string[], extra: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: containers.map((name) => ({ name })), ...extra },
});

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError);
    return `${err.code} ${err.message}`;
  }
  return 'no error';
}

describe('validateContainer', () => {
  it('defaults to the only container and checks named ones across all kinds', () => {
    assert.equal(validateContainer(pod(['a']), ''), 'a');
    assert.equal(validateContainer(pod(['a'], { initContainers: [{ name: 'init' }] }), 'init'), 'init');
    assert.equal(message(() => validateContainer(pod(['a']), 'x')), '400 container x is not valid for pod p');
  });
  it('lists every container (init first) when a choice is needed', () => {
    const p = pod(['a', 'b'], { initContainers: [{ name: 'i' }], ephemeralContainers: [{ name: 'e' }] });
    assert.equal(message(() => validateContainer(p, '')), '400 a container name must be specified for pod p, choose one of: [i a b e]');
    assert.equal(message(() => validateContainer(pod([]), '')), '400 a container name must be specified for pod p');
  });
  it('needs a node for streaming', () => {
    assert.equal(message(() => assignedNode(pod(['a']))), '400 pod p does not have a host assigned');
    assert.equal(assignedNode(pod(['a'], { nodeName: 'n1' })), 'n1');
  });
});

describe('splitSchemeNamePort', () => {
  it('accepts name, name:port and scheme:name:port with http/https only', () => {
    assert.deepEqual(splitSchemeNamePort('web'), { scheme: '', name: 'web', port: '' });
    assert.deepEqual(splitSchemeNamePort('web:80'), { scheme: '', name: 'web', port: '80' });
    assert.deepEqual(splitSchemeNamePort('https:web:443'), { scheme: 'https', name: 'web', port: '443' });
    assert.equal(splitSchemeNamePort('ftp:web:21'), undefined);
    assert.equal(splitSchemeNamePort(':80'), undefined);
    assert.equal(splitSchemeNamePort('a:b:c:d'), undefined);
  });
});

describe('pod log options', () => {
  const q = (s: string) => new URLSearchParams(s);
  it('parses and forwards them as LogLocation does', () => {
    const o = parsePodLogOptions('p', q('follow=true&previous=1&timestamps=true&tailLines=3&limitBytes=10&sinceTime=2024-05-01T10:00:00.5Z&container=c'));
    assert.equal(
      containerLogsPath(pod(['c']), 'c', o),
      '/containerLogs/ns/p/c?follow=true&previous=true&timestamps=true&sinceTime=2024-05-01T10%3A00%3A00Z&tailLines=3&limitBytes=10',
    );
    assert.equal(containerLogsPath(pod(['c']), 'c', parsePodLogOptions('p', q(''))), '/containerLogs/ns/p/c');
  });
  it('validates as ValidatePodLogOptions', () => {
    assert.equal(message(() => parsePodLogOptions('p', q('tailLines=-1'))), '422 PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
    assert.equal(message(() => parsePodLogOptions('p', q('limitBytes=0'))), '422 PodLogOptions "p" is invalid: limitBytes: Invalid value: 0: must be greater than 0');
    assert.equal(message(() => parsePodLogOptions('p', q('sinceSeconds=0'))), '422 PodLogOptions "p" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0');
    assert.match(message(() => parsePodLogOptions('p', q('tailLines=x'))), /^400 strconv.ParseInt: parsing "x": invalid syntax/);
  });
  it('maps node answers as GenericHttpResponseChecker does', () => {
    const bad = nodeLogError(new NodeResponseError(400, 'container "c" in pod "p" is waiting to start: ContainerCreating'), 'p');
    assert.equal(`${bad.code} ${bad.reason} ${bad.message}`, '400 BadRequest container "c" in pod "p" is waiting to start: ContainerCreating');
    const internal = nodeLogError(new NodeResponseError(500, 'boom'), 'p');
    assert.equal(`${internal.code} ${internal.message}`, '500 Internal error occurred: boom');
  });
});

describe('proxy paths', () => {
  it('splits the proxy prefix from the forwarded path', () => {
    assert.deepEqual(splitProxyPath('/api/v1/namespaces/d/pods/web:80/proxy/a/b/'), { prefix: '/api/v1/namespaces/d/pods/web:80/proxy', rest: '/a/b/' });
    assert.deepEqual(splitProxyPath('/api/v1/namespaces/d/services/s/proxy'), { prefix: '/api/v1/namespaces/d/services/s/proxy', rest: '' });
  });
  it('keeps redirects inside the proxy', () => {
    const p = '/api/v1/namespaces/d/pods/web/proxy';
    assert.equal(rewriteLocation('/x?y=1', p, '10.244.1.2:80'), `${p}/x?y=1`);
    assert.equal(rewriteLocation('http://10.244.1.2:80/z', p, '10.244.1.2:80'), `${p}/z`);
    assert.equal(rewriteLocation('https://example.com/', p, '10.244.1.2:80'), 'https://example.com/');
  });
});

describe('protocol negotiation', () => {
  it('takes the first protocol the client offers that we speak', () => {
    assert.equal(negotiate(['base64.channel.k8s.io', 'v4.channel.k8s.io', 'v5.channel.k8s.io'], WS_EXEC_PROTOCOLS), 'v4.channel.k8s.io');
    assert.equal(negotiate(['channel.k8s.io'], WS_EXEC_PROTOCOLS), undefined);
  });
});
