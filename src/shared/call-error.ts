/** The error a renderer sees from any transport: message plus the contract's code (encoded in the message across Electron's contextBridge, which drops custom Error properties). */
import type { StudioErrorPayload } from './ipc-contract';

const CODES: ReadonlySet<string> = new Set<StudioErrorPayload['code']>(['invalid-args', 'not-found', 'conflict', 'failed', 'forbidden']);
const ENCODED = /\[studio:([a-z-]+)\] ([\s\S]*)$/;

export class StudioCallError extends Error {
  constructor(
    readonly code: StudioErrorPayload['code'],
    message: string,
  ) {
    super(message);
    this.name = 'StudioCallError';
  }
}

export function isErrorPayload(value: unknown): value is StudioErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && CODES.has(v.code) && typeof v.message === 'string';
}

/** Message form that survives the contextBridge: "[studio:<code>] <message>". */
export function encodeCallError(payload: StudioErrorPayload): string {
  return `[studio:${payload.code}] ${payload.message}`;
}

/** Turns anything a transport rejected with into a StudioCallError (code 'failed' when none is recognisable). */
export function toCallError(err: unknown): StudioCallError {
  if (err instanceof StudioCallError) return err;
  if (isErrorPayload(err)) return new StudioCallError(err.code, err.message);
  const message = err instanceof Error ? err.message : String(err);
  const m = ENCODED.exec(message);
  if (m && CODES.has(m[1])) return new StudioCallError(m[1] as StudioErrorPayload['code'], m[2]);
  return new StudioCallError('failed', message);
}
