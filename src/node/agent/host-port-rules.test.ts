import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandError } from '../netns/exec.js';
import type { CommandResult } from '../netns/exec.js';
import { createLogger } from '../../util/logger.js';
import { hostPortRuleset } from '../runtime/host-ports.js';
import type { HostPortMapping } from '../runtime/host-ports.js';
import { HostPortRules } from './host-port-rules.js';

const web: HostPortMapping = { protocol: 'tcp', hostPort: 8080, podIP: '10.244.1.2', containerPort: 80 };

// The exec seam as NodePodNetwork.exec has it; `failures` nft loads fail as nft would (exit 1).
function recordingExec(failures: number) {
  const calls: { namespace: string; argv: readonly string[]; input?: string }[] = [];
  let left = failures;
  const exec = async (namespace: string, argv: readonly string[], input?: string): Promise<CommandResult> => {
    calls.push({ namespace, argv, input });
    if (left > 0) {
      left--;
      throw new CommandError('ip', ['netns', 'exec', namespace, ...argv], 1, '', 'Error: Could not process rule: Operation not permitted');
    }
    return { stdout: '', stderr: '' };
  };
  return { exec, calls };
}

describe('HostPortRules', () => {
  const logger = createLogger({ level: 'error' });

  it('retries a ruleset whose nft load failed on the next sync', async () => {
    const { exec, calls } = recordingExec(1);
    const rules = new HostPortRules({ exec, namespace: 'svcnet-c-node-1', logger });
    rules.set('uid-1', [web]);
    await rules.sync();
    assert.equal(calls.length, 1);
    // Nothing changed, but nft never accepted the table: the next sync loads it again.
    await rules.sync();
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[1], { namespace: 'svcnet-c-node-1', argv: ['nft', '-f', '-'], input: hostPortRuleset([web]) });
    // Now applied: an unchanged sync runs nothing.
    await rules.sync();
    assert.equal(calls.length, 2);
  });

  it('loads only on change, never before a Pod has host ports, and clears what it loaded', async () => {
    const { exec, calls } = recordingExec(0);
    const rules = new HostPortRules({ exec, namespace: 'n', logger });
    await rules.sync();
    assert.equal(calls.length, 0);
    rules.set('uid-1', [web]);
    await Promise.all([rules.sync(), rules.sync()]);
    assert.equal(calls.length, 1);
    assert.equal(rules.set('uid-1', []), true);
    await rules.sync();
    assert.equal(calls.at(-1)?.input, hostPortRuleset([]));
    await rules.clear();
    assert.equal(calls.length, 3);
    assert.equal(calls.at(-1)?.input, hostPortRuleset([]));
  });
});
