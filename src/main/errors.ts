/** Errors that carry a transport-neutral code so every host reports them the same way. */
import type { StudioErrorPayload } from '../shared/ipc-contract';

export class StudioError extends Error {
  constructor(
    readonly code: StudioErrorPayload['code'],
    message: string,
  ) {
    super(message);
    this.name = 'StudioError';
  }
}

export const notFound = (what: string): StudioError => new StudioError('not-found', `${what} not found`);
export const conflict = (message: string): StudioError => new StudioError('conflict', message);

/** Maps any thrown value to the payload sent to the UI (no stack traces cross the boundary). */
export function toErrorPayload(err: unknown): StudioErrorPayload {
  if (err instanceof StudioError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: 'failed', message: err.message };
  return { code: 'failed', message: String(err) };
}
