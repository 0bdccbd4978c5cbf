/** Proves the dispatcher is the contract's gatekeeper: unknown channels and bad args never reach a handler. */
import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../src/shared/ipc-contract';
import { createDispatcher } from '../../src/main/api/dispatch';
import type { Handlers } from '../../src/main/api/handler-types';
import { StudioError } from '../../src/main/errors';

function handlerTable(overrides: Partial<Handlers>): Handlers {
  const base = Object.fromEntries(
    CHANNEL_NAMES.map((c) => [
      c,
      () => {
        throw new StudioError('failed', 'not in this test');
      },
    ]),
  ) as unknown as Handlers;
  return { ...base, ...overrides };
}

describe('createDispatcher', () => {
  it('rejects an unknown channel with invalid-args', async () => {
    const dispatch = createDispatcher(handlerTable({}));
    await expect(dispatch('nope:nothing', {})).rejects.toMatchObject({ code: 'invalid-args', message: expect.stringContaining('Unknown channel') });
    await expect(dispatch('__proto__', {})).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(dispatch('toString', {})).rejects.toMatchObject({ code: 'invalid-args' });
  });

  it('validates args with the contract schema and names the bad field', async () => {
    const handler = vi.fn(() => ({ id: 1, name: 'x' }));
    const dispatch = createDispatcher(handlerTable({ 'datasets:rename': handler as unknown as Handlers['datasets:rename'] }));
    const err = await dispatch('datasets:rename', { datasetId: -4, name: 'ok' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('invalid-args');
    expect((err as StudioError).message).toMatch(/datasets:rename.*datasetId/);
    await expect(dispatch('datasets:rename', 'not an object')).rejects.toMatchObject({ code: 'invalid-args' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes parsed args (defaults applied, strings trimmed) and returns the result', async () => {
    const handler = vi.fn((args: { datasetId: number; name: string; note: string }) => ({ got: args }));
    const dispatch = createDispatcher(handlerTable({ 'versions:create': handler as unknown as Handlers['versions:create'] }));
    const result = await dispatch('versions:create', { datasetId: 3, name: '  v1  ' });
    expect(result).toEqual({ got: { datasetId: 3, name: 'v1', note: '' } });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('treats missing args as {} for channels without arguments', async () => {
    const dispatch = createDispatcher(handlerTable({ 'datasets:list': () => [] }));
    await expect(dispatch('datasets:list', undefined)).resolves.toEqual([]);
  });

  it('keeps StudioError codes and wraps other throws as failed', async () => {
    const dispatch = createDispatcher(
      handlerTable({
        'samples:get': () => {
          throw new StudioError('not-found', 'sample 9 not found');
        },
        'jobs:list': () => {
          throw new TypeError('boom');
        },
        'workspace:info': async () => Promise.reject(new Error('async boom')),
      }),
    );
    await expect(dispatch('samples:get', { sampleId: 9 })).rejects.toMatchObject({ code: 'not-found', message: 'sample 9 not found' });
    const wrapped = await dispatch('jobs:list', {}).catch((e: unknown) => e);
    expect(wrapped).toBeInstanceOf(StudioError);
    expect(wrapped).toMatchObject({ code: 'failed', message: 'boom' });
    await expect(dispatch('workspace:info', {})).rejects.toMatchObject({ code: 'failed', message: 'async boom' });
  });
});
