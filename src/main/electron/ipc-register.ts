/** Binds every contract channel to ipcMain with sender checks and an {ok,result|error} envelope, and forwards bus events to the window. */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/ipc-contract';
import { STUDIO_EVENT_CHANNEL, type IpcEnvelope, type StudioEventMessage } from '../../shared/ipc-envelope';
import type { Dispatch } from '../api/dispatch';
import type { StudioEventBus } from '../api/event-bus';
import { toErrorPayload } from '../errors';

/** Registers one handler per channel; returns a function removing them all. */
export function registerIpc(dispatch: Dispatch, isTrustedSender: (frameUrl: string | undefined) => boolean): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, arg: unknown): Promise<IpcEnvelope> => {
      const frameUrl = event.senderFrame?.url;
      if (!isTrustedSender(frameUrl)) {
        return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame was refused' } };
      }
      try {
        return { ok: true, result: await dispatch(channel, arg) };
      } catch (err) {
        return { ok: false, error: toErrorPayload(err) };
      }
    });
  }
  return () => {
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(channel);
  };
}

/** Sends every bus event as {event, payload} on the single studio:event channel; returns the unsubscribe. */
export function forwardEvents(bus: StudioEventBus, send: (channel: string, message: StudioEventMessage) => void): () => void {
  const offs = EVENT_NAMES.map((event) =>
    bus.on(event, (payload) => send(STUDIO_EVENT_CHANNEL, { event, payload } as StudioEventMessage)),
  );
  return () => {
    for (const off of offs) off();
  };
}
