// Built-in stand-ins for the container images Kubernetes network tests use. The runtime asks
// resolveImage (container start) and resolveExec (`kubectl exec`) what to run.
export type { BuiltinProgram, ResolveError, ResolvedImage } from './resolve.js';
export { builtinProgramPaths, builtinPrograms, imageName, resolveExec, resolveImage } from './resolve.js';
export { agnhostCommands, unsupportedSubcommand } from './agnhost/main.js';
export { bindAddressEnv } from './agnhost/listen.js';
export { nginxPortEnv } from './nginx/server.js';
