/** Browser transport: POST /api/<channel> for calls, one auto-reconnecting WebSocket (/events) for push events. */
import { EVENT_NAMES, type Channel, type EventName, type StudioEvents } from '../../../shared/ipc-contract';
import { buildStudioApi, type StudioApi } from '../../../shared/studio-api';
import { StudioCallError, isErrorPayload } from '../../../shared/call-error';

export interface HttpTransportOptions {
  /** Origin + base path of the host; defaults to the page's own origin. */
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  WebSocketImpl?: typeof WebSocket;
  /** Reconnect delay bounds in ms. */
  minRetryMs?: number;
  maxRetryMs?: number;
}

type Listener = (payload: unknown) => void;

export function createHttpStudioApi(options: HttpTransportOptions = {}): StudioApi {
  const base = (options.baseUrl ?? window.location.origin).replace(/\/$/, '');
  const doFetch = options.fetchImpl ?? window.fetch.bind(window);
  const call = async (channel: Channel, args: unknown): Promise<unknown> => {
    const res = await doFetch(`${base}/api/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args ?? {}),
      credentials: 'same-origin',
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      throw new StudioCallError('failed', `Bad response from the studio host (${res.status})`);
    }
    if (res.ok) return body;
    if (isErrorPayload(body)) throw new StudioCallError(body.code, body.message);
    throw new StudioCallError('failed', `Studio host answered ${res.status}`);
  };
  const events = new EventSocket(base, options);
  return buildStudioApi(call, (event, cb) => events.subscribe(event, cb as Listener));
}

/** One WebSocket shared by all subscribers; opened on first subscribe, reconnects with backoff while anyone listens. */
class EventSocket {
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private socket: WebSocket | null = null;
  private retryMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly base: string,
    private readonly options: HttpTransportOptions,
  ) {
    this.retryMs = options.minRetryMs ?? 500;
  }

  subscribe<E extends EventName>(event: E, cb: (payload: StudioEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const listener = cb as Listener;
    set.add(listener);
    this.ensureOpen();
    return () => {
      set.delete(listener);
      if (this.count() === 0) this.shutdown();
    };
  }

  private count(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  private ensureOpen(): void {
    if (this.socket || this.timer) return;
    const url = this.base.replace(/^http/, 'ws') + '/events';
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const ws = new Impl(url);
    this.socket = ws;
    ws.onopen = () => {
      this.retryMs = this.options.minRetryMs ?? 500;
    };
    ws.onmessage = (msg: MessageEvent) => this.deliver(msg.data);
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (this.count() > 0) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 5000);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.count() > 0) this.ensureOpen();
    }, delay);
  }

  private deliver(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: { event?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(data) as { event?: unknown; payload?: unknown };
    } catch {
      return;
    }
    const event = EVENT_NAMES.find((e) => e === msg.event);
    if (!event) return;
    for (const cb of [...(this.listeners.get(event) ?? [])]) {
      try {
        cb(msg.payload);
      } catch (err) {
        console.error(`studio event listener for ${event} failed`, err);
      }
    }
  }

  private shutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.socket;
    this.socket = null;
    ws?.close();
  }
}
