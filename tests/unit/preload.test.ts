/** Proves the preload exposes only the fixed StudioApi, refuses unknown channels, unwraps envelopes and filters events. */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  type Listener = (event: unknown, message: unknown) => void;
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, Set<Listener>>();
  const ipcRenderer = {
    invoke: vi.fn(async (_channel: string, _args: unknown): Promise<unknown> => ({ ok: true, result: null })),
    on: vi.fn((channel: string, cb: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(cb);
    }),
    removeListener: vi.fn((channel: string, cb: Listener) => listeners.get(channel)?.delete(cb)),
  };
  const contextBridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => exposed.set(key, api)) };
  const emit = (channel: string, message: unknown) => {
    for (const cb of listeners.get(channel) ?? []) cb({}, message);
  };
  return { exposed, listeners, ipcRenderer, contextBridge, emit };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

import { toCallError } from '../../src/shared/call-error';
import { API_LAYOUT, type StudioApi } from '../../src/shared/studio-api';
import { call } from '../../src/preload/index';

function api(): StudioApi {
  return electron.exposed.get('studio') as StudioApi;
}

describe('preload bridge', () => {
  beforeEach(() => electron.ipcRenderer.invoke.mockClear());

  it('exposes exactly one key, window.studio, with the API_LAYOUT methods and on() — never ipcRenderer', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...electron.exposed.keys()]).toEqual(['studio']);
    const studio = api() as unknown as Record<string, unknown>;
    expect(Object.keys(studio).sort()).toEqual([...Object.keys(API_LAYOUT), 'on'].sort());
    for (const [group, methods] of Object.entries(API_LAYOUT)) {
      expect(Object.keys(studio[group] as object).sort()).toEqual(Object.keys(methods).sort());
    }
    const values = JSON.stringify(Object.keys(studio));
    expect(values).not.toMatch(/invoke|ipc|send/i);
    expect(Object.values(studio)).not.toContain(electron.ipcRenderer);
  });

  it('invokes the fixed channel and unwraps ok envelopes', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: [{ id: 1 }] });
    await expect(api().datasets.list({})).resolves.toEqual([{ id: 1 }]);
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('datasets:list', {});
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: { deleted: true } });
    await api().datasets.remove({ datasetId: 3 });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('datasets:delete', { datasetId: 3 });
  });

  it('throws an Error carrying the code for error envelopes (and the code survives the bridge via the message)', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'not-found', message: 'sample 9 not found' } });
    const err = await api().samples.get({ sampleId: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code: string }).code).toBe('not-found');
    // What the page sees after the contextBridge copies only the message:
    const copied = toCallError(new Error((err as Error).message));
    expect(copied).toMatchObject({ code: 'not-found', message: 'sample 9 not found' });
    electron.ipcRenderer.invoke.mockResolvedValueOnce('garbage');
    await expect(api().jobs.list({})).rejects.toMatchObject({ code: 'failed' });
  });

  it('refuses channels outside the fixed set without touching IPC', async () => {
    await expect(call('evil:channel' as never, {})).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(call('__proto__' as never, {})).rejects.toMatchObject({ code: 'invalid-args' });
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('delivers only the subscribed event and unsubscribes', () => {
    const got: unknown[] = [];
    const off = api().on('dataset:changed', (p) => got.push(p));
    electron.emit('studio:event', { event: 'jobs:progress', payload: { jobId: 'x' } });
    electron.emit('studio:event', { event: 'dataset:changed', payload: { datasetId: 2, reason: 'edit' } });
    electron.emit('studio:event', null);
    off();
    electron.emit('studio:event', { event: 'dataset:changed', payload: { datasetId: 3, reason: 'edit' } });
    expect(got).toEqual([{ datasetId: 2, reason: 'edit' }]);
    expect(electron.listeners.get('studio:event')?.size).toBe(0);
    expect(() => api().on('nope' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
