import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { builtinProgramPaths, imageName, resolveExec, resolveImage } from './resolve.js';

const node = process.execPath;
const { agnhost, nginx, pause } = builtinProgramPaths;

describe('resolveImage', () => {
  const cases: Array<{ name: string; image: string; command?: string[]; args?: string[]; argv: string[] }> = [
    { name: 'agnhost args after the /agnhost entrypoint', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080'], argv: [node, agnhost, 'netexec', '--http-port=8080'] },
    { name: 'agnhost with no args runs its CMD, pause', image: 'registry.k8s.io/e2e-test-images/agnhost:2.39', argv: [node, agnhost, 'pause'] },
    { name: 'agnhost from k8s.gcr.io', image: 'k8s.gcr.io/e2e-test-images/agnhost:2.32', args: ['serve-hostname'], argv: [node, agnhost, 'serve-hostname'] },
    { name: 'agnhost from a mirror, by digest', image: 'mirror.example:5000/team/agnhost@sha256:abc', args: ['porter'], argv: [node, agnhost, 'porter'] },
    { name: 'agnhost command replaces the entrypoint', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', command: ['/agnhost', 'netexec'], args: ['--udp-port=-1'], argv: [node, agnhost, 'netexec', '--udp-port=-1'] },
    { name: 'agnhost with a shell command runs the host shell', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', command: ['/bin/sh', '-c', 'sleep 1'], argv: ['/bin/sh', '-c', 'sleep 1'] },
    { name: 'nginx', image: 'nginx', argv: [node, nginx, '-g', 'daemon off;'] },
    { name: 'nginx with a tag', image: 'nginx:1.27-alpine', argv: [node, nginx, '-g', 'daemon off;'] },
    { name: 'nginx in a registry', image: 'docker.io/library/nginx:latest', argv: [node, nginx, '-g', 'daemon off;'] },
    { name: 'nginx command nginx', image: 'nginx', command: ['nginx', '-g', 'daemon off;'], argv: [node, nginx, '-g', 'daemon off;'] },
    { name: 'nginx args run through the entrypoint script', image: 'nginx', args: ['sh', '-c', 'echo hi'], argv: ['sh', '-c', 'echo hi'] },
    { name: 'pause', image: 'registry.k8s.io/pause:3.10', argv: [node, pause] },
    { name: 'busybox with a command', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'], argv: ['sh', '-c', 'sleep 3600'] },
    { name: 'busybox args replace its CMD', image: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1', args: ['sleep', '10'], argv: ['sleep', '10'] },
    { name: 'busybox without a command runs sh', image: 'busybox', argv: ['sh'] },
    { name: 'unknown image with a command', image: 'example.com/app:v1', command: ['/usr/bin/env'], args: ['FOO=1'], argv: ['/usr/bin/env', 'FOO=1'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(resolveImage(c.image, c.command, c.args), c.argv[1] && Object.values(builtinProgramPaths).includes(c.argv[1]) ? { argv: c.argv, builtin: builtinName(c.argv[1]) } : { argv: c.argv });
    });
  }

  it('refuses an unknown image without a command, saying why', () => {
    const r = resolveImage('example.com/app:v1');
    assert.ok('error' in r);
    assert.equal(r.error.reason, 'CreateContainerError');
    assert.match(r.error.message, /^svcnet cannot run image "example\.com\/app:v1" without a command: /);
    const argsOnly = resolveImage('example.com/app:v1', [], ['--flag']);
    assert.ok('error' in argsOnly);
  });

  it('refuses agnhost subcommands that are not built in', () => {
    const r = resolveImage('registry.k8s.io/e2e-test-images/agnhost:2.53', undefined, ['liveness']);
    assert.ok('error' in r);
    assert.match(r.error.message, /does not implement the "liveness" subcommand/);
  });

  it('points at compiled programs that exist', () => {
    for (const path of Object.values(builtinProgramPaths)) assert.ok(existsSync(path), path);
  });
});

function builtinName(path: string): string {
  return Object.entries(builtinProgramPaths).find(([, p]) => p === path)![0];
}

describe('resolveExec', () => {
  it('maps /agnhost in agnhost containers and leaves host programs alone', () => {
    assert.deepEqual(resolveExec('registry.k8s.io/e2e-test-images/agnhost:2.53', ['/agnhost', 'connect', '--timeout=3s', 'svc:80']), [node, agnhost, 'connect', '--timeout=3s', 'svc:80']);
    assert.deepEqual(resolveExec('registry.k8s.io/e2e-test-images/agnhost:2.53', ['curl', 'http://svc']), ['curl', 'http://svc']);
    assert.deepEqual(resolveExec('busybox', ['/agnhost', 'x']), ['/agnhost', 'x']);
  });
});

describe('imageName', () => {
  it('strips registry, path, tag and digest', () => {
    assert.equal(imageName('registry.k8s.io/e2e-test-images/agnhost:2.53'), 'agnhost');
    assert.equal(imageName('localhost:5000/nginx'), 'nginx');
    assert.equal(imageName('nginx@sha256:0123'), 'nginx');
  });
});
