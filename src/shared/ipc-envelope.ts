/** Wire format between Electron main and the preload: errors travel as data because Electron mangles thrown errors. */
import type { EventName, StudioErrorPayload, StudioEvents } from './ipc-contract';

export type IpcEnvelope = { ok: true; result: unknown } | { ok: false; error: StudioErrorPayload };

/** The single main → renderer push channel; the payload says which StudioEvents event it is. */
export const STUDIO_EVENT_CHANNEL = 'studio:event';

export type StudioEventMessage = { [E in EventName]: { event: E; payload: StudioEvents[E] } }[EventName];
