/** Option parsing for the command line: node:util parseArgs with messages that name the bad option. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong use of the command (unknown or missing option): exit code 2. */
export class UsageError extends Error {
  constructor(readonly command: string, message: string) {
    const name = command ? `guichet ${command}` : 'guichet';
    super(`${name}: ${message}\nRun "${name} --help" to see ${command ? 'the options' : 'the commands'}.`);
    this.name = 'UsageError';
  }
}

/** The command was used right but could not be done (bad value, duplicate, locked folder): exit code 1. */
export class CommandError extends Error {
  constructor(readonly command: string, message: string) {
    super(`guichet ${command}: ${message}`);
    this.name = 'CommandError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export function parseOptions(command: string, args: string[], options: Options): Values {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    const message = (err as Error).message;
    const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(command, `unknown option ${quoted}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(command, `unexpected argument "${quoted}"`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /--[a-z-]+/.exec(message)?.[0] ?? quoted;
      throw new UsageError(command, `option ${option} needs a value`);
    }
    throw new UsageError(command, message);
  }
}

export function required(command: string, values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(command, `--${name} is required`);
  return value.trim();
}

export function optional(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function list(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function oneOf<T extends string>(command: string, name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(command, `--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}
