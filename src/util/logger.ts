// Structured logs: one JSON object per line on stderr (klog's JSON format keys: ts, v, msg),
// so `svcnet … 2>&1 | jq` works and nothing interleaves with command output on stdout.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(opts: { level?: LogLevel; component?: string; write?: (line: string) => void } = {}): Logger {
  const min = ORDER[opts.level ?? (process.env.SVCNET_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? 1;
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const make = (base: Record<string, unknown>): Logger => {
    const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return;
      write(JSON.stringify({ ts: new Date().toISOString(), level, msg, ...base, ...fields }));
    };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(opts.component ? { component: opts.component } : {});
}
