/** The renderer's only door to the studio: window.studio inside Electron, the HTTP/WebSocket transport in a browser. */
import type { Channel } from '../../../shared/ipc-contract';
import { API_LAYOUT, buildStudioApi, type StudioApi } from '../../../shared/studio-api';
import { toCallError } from '../../../shared/call-error';
import { createHttpStudioApi } from './http-transport';

export { StudioCallError } from '../../../shared/call-error';
export type { StudioApi } from '../../../shared/studio-api';

declare global {
  interface Window {
    studio?: StudioApi;
  }
}

export type MediaKind = 'thumb' | 'image';

let cached: StudioApi | null = null;

export function isElectron(): boolean {
  return typeof window !== 'undefined' && window.studio !== undefined;
}

/** Re-wraps the preload bridge so rejected calls carry `.code` again (the contextBridge drops custom Error fields). */
function wrapBridge(bridge: StudioApi): StudioApi {
  const lookup = new Map<Channel, (args: unknown) => Promise<unknown>>();
  for (const [group, methods] of Object.entries(API_LAYOUT)) {
    const target = (bridge as unknown as Record<string, Record<string, (args: unknown) => Promise<unknown>>>)[group];
    for (const [method, channel] of Object.entries(methods)) lookup.set(channel as Channel, target[method]);
  }
  const call = async (channel: Channel, args: unknown): Promise<unknown> => {
    const fn = lookup.get(channel);
    if (!fn) throw toCallError({ code: 'invalid-args', message: `Unknown channel: ${channel}` });
    try {
      return await fn(args);
    } catch (err) {
      throw toCallError(err);
    }
  };
  return buildStudioApi(call, (event, cb) => bridge.on(event, cb));
}

/** Drops ?token= from the address bar once the page has loaded (the host already set the HttpOnly cookie). */
function hideToken(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
}

export function getStudioApi(): StudioApi {
  if (cached) return cached;
  if (window.studio) {
    cached = wrapBridge(window.studio);
  } else {
    hideToken();
    cached = createHttpStudioApi();
  }
  return cached;
}

/** A sample's image; with a version id, the image that version froze for it (a robustness split's corrupted copy). */
export function mediaUrl(kind: MediaKind, sampleId: number, versionId?: number): string {
  const id = Math.trunc(sampleId);
  const version = versionId === undefined ? '' : `/${Math.trunc(versionId)}`;
  return isElectron() ? `studio-media://${kind}/${id}${version}` : `/media/${kind}/${id}${version}`;
}
