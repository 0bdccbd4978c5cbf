/** Argument parsing shared by the headless CLI commands (node:util parseArgs, with usage errors). */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export const COMMON_OPTIONS = {
  workspace: { type: 'string', short: 'w' },
  dataset: { type: 'string', short: 'd' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseCommand(argv: string[], options: OptionSpec): ParsedCommand {
  try {
    const parsed = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values as ParsedCommand['values'], positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`missing --${flag}`);
  return value;
}

export function parseRatios(text: string): { train: number; val: number; test: number } {
  const parts = text.split(/[,/ ]+/).filter(Boolean).map(Number);
  if (parts.some((n) => !Number.isFinite(n) || n < 0)) throw new UsageError(`bad --ratios "${text}"`);
  if (parts.length === 2) return { train: parts[0], val: 0, test: parts[1] };
  if (parts.length === 3) return { train: parts[0], val: parts[1], test: parts[2] };
  throw new UsageError('--ratios takes train,test or train,val,test (e.g. 0.9,0.1 or 0.8,0.1,0.1)');
}

/** Prints job progress to stderr every `step` percent (and at 100%). */
export function progressPrinter(err: (line: string) => void, step = 10): (value: number, message: string) => void {
  let last = -Infinity;
  return (value, message) => {
    const pct = Math.floor(value * 100);
    if (pct >= last + step || value >= 1) {
      last = pct;
      err(`[${String(pct).padStart(3)}%] ${message}`);
    }
  };
}
