import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterIPRange } from './cluster-ip.js';
import { RangeFullError } from './errors.js';
import { NodePortRange } from './node-port.js';
import {
  clusterIPAllocateError,
  healthCheckNodePortError,
  nodePortAllocateError,
  nodePortAllocateNextError,
  serviceIPAllocateNextError,
} from './service-errors.js';

function errorOf(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('registry error shapes', () => {
  const ips = new ClusterIPRange('10.96.0.0/12');
  ips.allocate('10.96.0.10');
  const ports = new NodePortRange();
  ports.allocate(30080);

  it('taken ClusterIP: 422 on spec.clusterIPs with the whole slice', () => {
    const st = clusterIPAllocateError('x', ['10.96.0.10'], '10.96.0.10', errorOf(() => ips.allocate('10.96.0.10'))).toStatus();
    assert.equal(st.code, 422);
    assert.equal(st.reason, 'Invalid');
    assert.equal(
      st.message,
      'Service "x" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    assert.deepEqual(st.details, {
      name: 'x',
      kind: 'Service',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
          field: 'spec.clusterIPs',
        },
      ],
    });
  });

  it('ClusterIP outside the range', () => {
    const st = clusterIPAllocateError('x', ['192.168.1.1'], '192.168.1.1', errorOf(() => ips.allocate('192.168.1.1'))).toStatus();
    assert.equal(
      st.message,
      'Service "x" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.1.1"}: failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });

  it('unparsable ClusterIP is a 500', () => {
    const st = clusterIPAllocateError('x', ['zzz'], 'zzz', errorOf(() => ips.allocate('zzz'))).toStatus();
    assert.equal(st.code, 500);
    assert.equal(st.message, 'Internal error occurred: failed to parse service IP "zzz"');
  });

  it('full range is a 500', () => {
    const st = serviceIPAllocateNextError(new RangeFullError()).toStatus();
    assert.equal(st.code, 500);
    assert.equal(st.reason, 'InternalError');
    assert.equal(st.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
    assert.deepEqual(st.details, { causes: [{ message: 'failed to allocate a serviceIP: range is full' }] });
    assert.equal(nodePortAllocateNextError(new RangeFullError()).message, 'Internal error occurred: failed to allocate a nodePort: range is full');
  });

  it('nodePort errors: 422 on spec.ports[i].nodePort with the number', () => {
    const taken = nodePortAllocateError('x', 0, 30080, errorOf(() => ports.allocate(30080))).toStatus();
    assert.equal(taken.message, 'Service "x" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    const low = nodePortAllocateError('x', 1, 80, errorOf(() => ports.allocate(80))).toStatus();
    assert.equal(
      low.message,
      'Service "x" is invalid: spec.ports[1].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    assert.equal(low.details?.causes?.[0]?.field, 'spec.ports[1].nodePort');
  });

  it('healthCheckNodePort errors', () => {
    assert.equal(
      healthCheckNodePortError(30080, errorOf(() => ports.allocate(30080))).message,
      'Internal error occurred: failed to allocate requested HealthCheck NodePort 30080: provided port is already allocated',
    );
    assert.equal(
      healthCheckNodePortError(undefined, new RangeFullError()).message,
      'Internal error occurred: failed to allocate a HealthCheck NodePort 0: range is full',
    );
  });
});
