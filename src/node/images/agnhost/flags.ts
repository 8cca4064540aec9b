// Command-line parsing with the rules of spf13/pflag and cobra, which agnhost uses: long flags
// as `--name=value` or `--name value`, bare `--bool`, flags anywhere among the arguments, `--`
// ends flags, and the same error texts ("unknown flag: --x", "accepts at most 0 arg(s) …").
import { formatGoDuration, parseGoDuration } from './golang.js';

export const flagTypes = ['int', 'string', 'bool', 'duration'] as const;
export type FlagType = (typeof flagTypes)[number];

export interface FlagSpec {
  readonly type: FlagType;
  /** Default value: a number for int, milliseconds for duration. */
  readonly default: string | number | boolean;
  readonly usage: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** A usage error: cobra prints "Error: <message>" and the usage, then exits 1. */
export class UsageError extends Error {}

/**
 * agnhost registers klog's flags on the root command because "some tests are passing logging
 * related flags"; accept them so such Pods start, and ignore their values.
 */
const klogFlags: FlagSpecs = Object.fromEntries(
  [
    ['v', 'string'],
    ['vmodule', 'string'],
    ['log_dir', 'string'],
    ['log_file', 'string'],
    ['log_file_max_size', 'string'],
    ['log_backtrace_at', 'string'],
    ['stderrthreshold', 'string'],
    ['logtostderr', 'bool'],
    ['alsologtostderr', 'bool'],
    ['add_dir_header', 'bool'],
    ['skip_headers', 'bool'],
    ['skip_log_headers', 'bool'],
    ['one_output', 'bool'],
  ].map(([name, type]) => [name, { type: type as FlagType, default: type === 'bool' ? false : '', usage: 'klog flag (ignored)' }]),
);

export class ParsedFlags {
  readonly #values: Map<string, string | number | boolean>;
  readonly args: readonly string[];
  readonly help: boolean;

  constructor(values: Map<string, string | number | boolean>, args: readonly string[], help: boolean) {
    this.#values = values;
    this.args = args;
    this.help = help;
  }

  int(name: string): number {
    return this.#get(name, 'number') as number;
  }
  /** Duration flags, in milliseconds. */
  duration(name: string): number {
    return this.#get(name, 'number') as number;
  }
  string(name: string): string {
    return this.#get(name, 'string') as string;
  }
  bool(name: string): boolean {
    return this.#get(name, 'boolean') as boolean;
  }

  #get(name: string, kind: string): unknown {
    const v = this.#values.get(name);
    if (typeof v !== kind) throw new Error(`flag --${name} is not a ${kind} flag`);
    return v;
  }
}

function convert(name: string, spec: FlagSpec, raw: string): string | number | boolean {
  const invalid = (detail: string) => new UsageError(`invalid argument "${raw}" for "--${name}" flag: ${detail}`);
  switch (spec.type) {
    case 'string':
      return raw;
    case 'int':
      if (!/^[+-]?\d+$/.test(raw)) throw invalid(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
      return Number(raw);
    case 'bool': {
      const v = ({ '1': true, t: true, T: true, true: true, TRUE: true, True: true, '0': false, f: false, F: false, false: false, FALSE: false, False: false } as Record<string, boolean>)[raw];
      if (v === undefined) throw invalid(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
      return v;
    }
    case 'duration':
      try {
        return parseGoDuration(raw);
      } catch (err) {
        throw invalid((err as Error).message);
      }
  }
}

/** Parses argv against the command's flags (plus klog's). Throws UsageError like pflag. */
export function parseFlags(specs: FlagSpecs, argv: readonly string[]): ParsedFlags {
  const all: FlagSpecs = { ...klogFlags, ...specs };
  const values = new Map<string, string | number | boolean>();
  for (const [name, spec] of Object.entries(all)) values.set(name, spec.default);
  const args: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (name === 'help') {
        help = true;
        continue;
      }
      const spec = all[name];
      if (spec === undefined) throw new UsageError(`unknown flag: --${name}`);
      if (eq >= 0) values.set(name, convert(name, spec, a.slice(eq + 1)));
      else if (spec.type === 'bool') values.set(name, true);
      else if (i + 1 < argv.length) values.set(name, convert(name, spec, argv[++i]!));
      else throw new UsageError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // agnhost declares no shorthands of its own; cobra adds -h for help.
      if (a === '-h') {
        help = true;
        continue;
      }
      throw new UsageError(`unknown shorthand flag: '${a[1]}' in ${a}`);
    }
    args.push(a);
  }
  return new ParsedFlags(values, args, help);
}

/** cobra's MaximumNArgs / ExactArgs checks. */
export function checkArgs(args: readonly string[], expected: { readonly min: number; readonly max: number }): void {
  // MaximumNArgs(0) reads "at most"; ExactArgs(n) for n > 0 reads "accepts n arg(s)".
  if (expected.min > 0 && expected.min === expected.max && args.length !== expected.min) {
    throw new UsageError(`accepts ${expected.min} arg(s), received ${args.length}`);
  }
  if (args.length > expected.max) throw new UsageError(`accepts at most ${expected.max} arg(s), received ${args.length}`);
}

/** The "Flags:" block of cobra's usage text. */
export function renderFlagUsage(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const typeName = spec.type === 'bool' ? '' : ` ${spec.type}`;
    let def = '';
    if (spec.type === 'duration') def = spec.default === 0 ? '' : ` (default ${formatGoDuration(spec.default as number)})`;
    else if (spec.type === 'string') def = spec.default === '' ? '' : ` (default "${String(spec.default)}")`;
    else if (spec.type === 'bool') def = spec.default === true ? ' (default true)' : '';
    else def = ` (default ${String(spec.default)})`;
    return [`      --${name}${typeName}`, `${spec.usage}${def}`] as [string, string];
  });
  rows.push(['  -h, --help', 'help for this command']);
  const width = Math.max(...rows.map(([l]) => l.length)) + 3;
  return rows.map(([l, r]) => l.padEnd(width) + r).join('\n');
}
