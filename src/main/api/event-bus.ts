/** Typed push-event bus from core services to whichever transport (Electron IPC, WebSocket) is attached. */
import { EventEmitter } from 'node:events';
import type { EventName, StudioEvents } from '../../shared/ipc-contract';

export class StudioEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(event: E, payload: StudioEvents[E]): void {
    this.emitter.emit(event, payload);
  }

  on<E extends EventName>(event: E, cb: (payload: StudioEvents[E]) => void): () => void {
    this.emitter.on(event, cb);
    return () => this.emitter.off(event, cb);
  }
}
