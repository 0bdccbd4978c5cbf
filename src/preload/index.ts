/** Sandboxed preload: exposes only the fixed StudioApi (window.studio) built on ipcRenderer; ipcRenderer itself never reaches the page. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, type Channel, type EventName } from '../shared/ipc-contract';
import { encodeCallError, StudioCallError } from '../shared/call-error';
import { STUDIO_EVENT_CHANNEL, type IpcEnvelope } from '../shared/ipc-envelope';
import { API_LAYOUT, buildStudioApi, type StudioApi } from '../shared/studio-api';

const ALLOWED_CHANNELS: ReadonlySet<string> = new Set(
  Object.values(API_LAYOUT).flatMap((methods) => Object.values(methods) as string[]),
);

function isEnvelope(value: unknown): value is IpcEnvelope {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** Invokes one contract channel and unwraps the envelope; errors carry `.code` and an encoded message (see call-error). */
export async function call(channel: Channel, args: unknown): Promise<unknown> {
  if (!ALLOWED_CHANNELS.has(channel)) {
    throw new StudioCallError('invalid-args', encodeCallError({ code: 'invalid-args', message: `Unknown channel: ${String(channel)}` }));
  }
  const envelope: unknown = await ipcRenderer.invoke(channel, args);
  if (!isEnvelope(envelope)) throw new StudioCallError('failed', encodeCallError({ code: 'failed', message: 'Malformed IPC reply' }));
  if (envelope.ok) return envelope.result;
  throw new StudioCallError(envelope.error.code, encodeCallError(envelope.error));
}

export const on: StudioApi['on'] = (event, cb) => {
  if (!EVENT_NAMES.includes(event as EventName)) throw new Error(`Unknown event: ${String(event)}`);
  const listener = (_e: IpcRendererEvent, message: unknown) => {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { event?: unknown; payload?: unknown };
    if (m.event === event) cb(m.payload as Parameters<typeof cb>[0]);
  };
  ipcRenderer.on(STUDIO_EVENT_CHANNEL, listener);
  return () => {
    ipcRenderer.removeListener(STUDIO_EVENT_CHANNEL, listener);
  };
};

contextBridge.exposeInMainWorld('studio', buildStudioApi(call, on));
