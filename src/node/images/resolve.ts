// Which program a container runs. svcnet has no container images: a container is a host
// process, so an image is recognised by name. agnhost, nginx and pause map to built-in programs
// (run with this Node binary from the compiled tree); other images run their command as host
// programs; an image whose entrypoint we do not know and that gives no command is refused with
// a reason, never faked.
import { fileURLToPath } from 'node:url';
import { unsupportedSubcommand } from './agnhost/main.js';

export const builtinPrograms = ['agnhost', 'nginx', 'pause'] as const;
export type BuiltinProgram = (typeof builtinPrograms)[number];

/** Absolute paths of the built-in programs' compiled entry points (dist/src/node/images/bin/). */
export const builtinProgramPaths: Readonly<Record<BuiltinProgram, string>> = {
  agnhost: fileURLToPath(new URL('./bin/agnhost.js', import.meta.url)),
  nginx: fileURLToPath(new URL('./bin/nginx.js', import.meta.url)),
  pause: fileURLToPath(new URL('./bin/pause.js', import.meta.url)),
};

export interface ResolveError {
  /** A container waiting reason, as the kubelet reports it (CreateContainerError). */
  readonly reason: string;
  readonly message: string;
}

export type ResolvedImage = { readonly argv: string[]; readonly builtin?: BuiltinProgram } | { readonly error: ResolveError };

/** An image's ENTRYPOINT and CMD, as its Dockerfile sets them. */
interface ImageConfig {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
}

const knownImages: Readonly<Record<string, ImageConfig>> = {
  agnhost: { entrypoint: ['/agnhost'], cmd: ['pause'] },
  nginx: { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] },
  pause: { entrypoint: ['/pause'], cmd: [] },
  busybox: { entrypoint: [], cmd: ['sh'] },
  alpine: { entrypoint: [], cmd: ['/bin/sh'] },
  ubuntu: { entrypoint: [], cmd: ['/bin/bash'] },
  debian: { entrypoint: [], cmd: ['bash'] },
};

/** The repository's last path component, without registry, tag or digest: "agnhost". */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const lastSlash = noDigest.lastIndexOf('/');
  const last = noDigest.slice(lastSlash + 1);
  const colon = last.indexOf(':');
  return (colon >= 0 ? last.slice(0, colon) : last).toLowerCase();
}

function imageConfig(image: string): ImageConfig | undefined {
  const name = imageName(image);
  // Old pause images were published per architecture ("pause-amd64").
  return knownImages[name] ?? (name.startsWith('pause-') ? knownImages.pause : undefined);
}

const agnhostPaths = new Set(['/agnhost', 'agnhost', '/agnhost-2', 'agnhost-2']);
const nginxPaths = new Set(['nginx', 'nginx-debug', '/usr/sbin/nginx', '/usr/sbin/nginx-debug']);

function builtin(program: BuiltinProgram, args: readonly string[]): { argv: string[]; builtin: BuiltinProgram } {
  return { argv: [process.execPath, builtinProgramPaths[program], ...args], builtin: program };
}

function refuse(message: string): { error: ResolveError } {
  return { error: { reason: 'CreateContainerError', message } };
}

/**
 * The argv to exec for a container of `image` with the Pod's `command` and `args`, composed the
 * kubelet's way: command replaces the image's ENTRYPOINT (and drops its CMD), args replace CMD.
 * `$(VAR)` references are expected to be expanded by the caller beforehand.
 */
export function resolveImage(image: string, command?: readonly string[], args?: readonly string[]): ResolvedImage {
  const config = imageConfig(image);
  const hasCommand = command !== undefined && command.length > 0;
  const hasArgs = args !== undefined && args.length > 0;
  if (!hasCommand && config === undefined) {
    return refuse(
      `svcnet cannot run image "${image}" without a command: containers run as host processes, and the only images ` +
        `whose entrypoint svcnet knows are ${Object.keys(knownImages).join(', ')}; set command (and args) in the container spec`,
    );
  }
  const argv = hasCommand ? [...command, ...(args ?? [])] : [...config!.entrypoint, ...(hasArgs ? args : config!.cmd)];
  if (argv.length === 0) return refuse(`failed to generate container spec for image "${image}": no command specified`);
  return mapBuiltin(imageName(image), argv);
}

function mapBuiltin(name: string, argv: readonly string[]): ResolvedImage {
  const [program, ...rest] = argv as [string, ...string[]];
  if (name === 'agnhost' && agnhostPaths.has(program)) {
    const why = unsupportedSubcommand(rest.find((a) => !a.startsWith('-')));
    return why === undefined ? builtin('agnhost', rest) : refuse(why);
  }
  if (name === 'nginx') {
    if (nginxPaths.has(program)) return builtin('nginx', rest);
    // The image's entrypoint script runs nginx when asked to, and execs anything else.
    if (program === '/docker-entrypoint.sh') {
      if (rest.length === 0) return { argv: ['true'] };
      return nginxPaths.has(rest[0]!) ? builtin('nginx', rest.slice(1)) : { argv: rest };
    }
  }
  if ((name === 'pause' || name.startsWith('pause-')) && program === '/pause') return builtin('pause', rest);
  return { argv: [...argv] };
}

/**
 * The argv for `kubectl exec` into a container of `image`: host programs as given, except that
 * agnhost's `/agnhost` (which tests exec, e.g. `/agnhost connect --timeout=3s svc:80`) is ours.
 */
export function resolveExec(image: string, argv: readonly string[]): string[] {
  if (argv.length > 0 && imageName(image) === 'agnhost' && agnhostPaths.has(argv[0]!)) {
    return builtin('agnhost', argv.slice(1)).argv;
  }
  return [...argv];
}
