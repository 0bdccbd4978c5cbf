/** Validates a raw (channel, args) pair against the contract and runs the handler: the single entry every transport uses. */
import type { z } from 'zod';
import { channels, type Channel } from '../../shared/ipc-contract';
import { StudioError } from '../errors';
import type { Handlers } from './handler-types';

export type Dispatch = (channel: string, rawArgs: unknown) => Promise<unknown>;

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

/** Human-readable one-liner from a zod error: "path.to.field: message; …". */
export function formatZodError(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export function createDispatcher(handlers: Handlers): Dispatch {
  return async (channel, rawArgs) => {
    if (typeof channel !== 'string' || !isChannel(channel)) {
      throw new StudioError('invalid-args', `Unknown channel: ${String(channel).slice(0, 100)}`);
    }
    const parsed = channels[channel].args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      throw new StudioError('invalid-args', `Invalid arguments for ${channel}: ${formatZodError(parsed.error)}`);
    }
    const handler = handlers[channel] as (args: unknown) => unknown;
    try {
      return await handler(parsed.data);
    } catch (err) {
      if (err instanceof StudioError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new StudioError('failed', message);
    }
  };
}
