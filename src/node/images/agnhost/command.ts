// One agnhost subcommand: its flags, how many positional arguments cobra accepts, and what it
// runs. The registry in main.ts lists the ones built in.
import type { FlagSpecs, ParsedFlags } from './flags.js';

export interface AgnhostCommand {
  readonly name: string;
  /** cobra's Use line, e.g. "connect [host:port]". */
  readonly use: string;
  readonly short: string;
  readonly flags: FlagSpecs;
  readonly args: { readonly min: number; readonly max: number };
  /** Starts the command. Servers keep the process alive through their open handles. */
  run(flags: ParsedFlags): void | Promise<void>;
}

/** cobra.MaximumNArgs(0): the usual agnhost subcommand takes flags only. */
export const noArgs = { min: 0, max: 0 } as const;
