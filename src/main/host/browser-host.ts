/** Serves the studio to a local browser: token-gated HTTP API, WebSocket events, store-only media and the built renderer, on 127.0.0.1 only. */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES } from '../../shared/ipc-contract';
import { createDispatcher } from '../api/dispatch';
import type { StudioEventBus } from '../api/event-bus';
import type { Handlers } from '../api/handler-types';
import { StudioError } from '../errors';
import { buildCsp } from '../security/csp';
import type { Workspace } from '../workspace/workspace';
import { generateToken, HostGuard, tokenCookie } from './host-guard';
import { BodyTooLarge, readBody, safeSegments, sendError, sendJson, setSecurityHeaders } from './http-util';
import { isMediaKind, parseSampleId, readMediaFile } from './media-files';
import { serveStatic } from './static-files';

export interface BrowserHostOptions {
  workspace: Workspace;
  handlers: Handlers;
  bus: StudioEventBus;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
}

export interface BrowserHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? generateToken();
  const dispatch = createDispatcher(options.handlers);
  let port = 0;
  const guard = new HostGuard(token, () => port);
  let csp = buildCsp();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res, csp);
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    const verdict = guard.check(req, query);
    if (!verdict.ok) {
      sendJson(res, 403, { code: 'forbidden', message: verdict.reason ?? 'forbidden' });
      return;
    }
    const segments = safeSegments(rawPath);
    if (segments === null) {
      sendJson(res, 400, { code: 'invalid-args', message: 'bad path' });
      return;
    }
    if (segments[0] === 'api') {
      await handleApi(req, res, segments);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendJson(res, 405, { code: 'invalid-args', message: 'method not allowed' });
      return;
    }
    if (segments[0] === 'media') {
      await handleMedia(req, res, segments);
      return;
    }
    if (segments.length === 1 && segments[0] === 'favicon.ico' && !existsSync(join(options.rendererDir, 'favicon.ico'))) {
      // Browsers ask for it unprompted; answering "nothing" keeps the console free of a 404.
      res.statusCode = 204;
      res.end();
      return;
    }
    const extra: Record<string, string> = verdict.fromQuery ? { 'Set-Cookie': tokenCookie(port, token) } : {};
    await serveStatic(req, res, options.rendererDir, segments, extra);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendJson(res, 405, { code: 'invalid-args', message: 'use POST for /api' });
      return;
    }
    if (segments.length !== 2) {
      sendJson(res, 404, { code: 'not-found', message: 'unknown API path' });
      return;
    }
    const type = String(req.headers['content-type'] ?? '');
    if (!type.toLowerCase().startsWith('application/json')) {
      sendJson(res, 415, { code: 'invalid-args', message: 'Content-Type must be application/json' });
      return;
    }
    try {
      const body = await readBody(req);
      let args: unknown = {};
      if (body.length > 0) {
        try {
          args = JSON.parse(body.toString('utf8'));
        } catch {
          throw new StudioError('invalid-args', 'request body is not valid JSON');
        }
      }
      const result = await dispatch(segments[1], args);
      sendJson(res, 200, result);
    } catch (err) {
      if (err instanceof BodyTooLarge) sendJson(res, 413, { code: err.code, message: err.message });
      else sendError(res, err);
    }
  };

  const handleMedia = async (req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> => {
    const [, kind, idText, versionText] = segments;
    const sampleId = segments.length === 3 || segments.length === 4 ? parseSampleId(idText) : null;
    const versionId = segments.length === 4 ? parseSampleId(versionText) : null;
    if (!kind || !isMediaKind(kind) || sampleId === null || (segments.length === 4 && versionId === null)) {
      sendJson(res, 400, { code: 'invalid-args', message: 'media URLs are /media/thumb/<sampleId>[/<versionId>] or /media/image/<sampleId>[/<versionId>]' });
      return;
    }
    try {
      const file = await readMediaFile(options.workspace, kind, sampleId, versionId);
      res.statusCode = 200;
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Length', file.bytes.length);
      res.setHeader('Cache-Control', 'private, max-age=3600');
      res.end(req.method === 'HEAD' ? undefined : file.bytes);
    } catch (err) {
      sendError(res, err);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err);
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    const verdict = guard.check(req, query);
    if (rawPath !== '/events' || !verdict.ok) {
      const status = rawPath !== '/events' ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
      // The channel is push-only: anything the page sends is ignored.
      ws.on('message', () => undefined);
    });
  });

  const unsubscribers = EVENT_NAMES.map((event) =>
    options.bus.on(event, (payload) => {
      const text = JSON.stringify({ event, payload });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  csp = buildCsp({ connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      for (const off of unsubscribers) off();
      for (const ws of clients) ws.terminate();
      clients.clear();
      wss.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  return { url: `http://127.0.0.1:${port}/?token=${token}`, token, port, close };
}
