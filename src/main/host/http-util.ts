/** Small HTTP helpers for the browser host: security headers, JSON replies, bounded body reading, safe path splitting. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StudioErrorPayload } from '../../shared/ipc-contract';
import { StudioError, toErrorPayload } from '../errors';
import { statusForError } from './media-files';

export const MAX_BODY_BYTES = 1024 * 1024;

export function setSecurityHeaders(res: ServerResponse, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body === undefined ? null : body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const payload: StudioErrorPayload = toErrorPayload(err);
  sendJson(res, statusForError(payload.code), payload);
}

/**
 * Reads the body up to `limit` bytes. A larger body is drained (up to DRAIN_LIMIT, so the client
 * can read the 413) and rejected with BodyTooLarge; beyond that the socket is dropped.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > DRAIN_LIMIT) {
      req.destroy();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT) req.destroy();
      else if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('close', () => reject(new BodyTooLarge()));
    req.on('error', reject);
  });
}

const DRAIN_LIMIT = 16 * MAX_BODY_BYTES;

export class BodyTooLarge extends StudioError {
  constructor() {
    super('invalid-args', `request body larger than ${MAX_BODY_BYTES} bytes`);
  }
}

/**
 * Splits a raw request path into decoded segments, refusing anything that could escape a root:
 * '.'/'..' (also percent-encoded), empty inner segments, slashes or backslashes or NULs inside a segment.
 * Returns null for a refused path.
 */
export function safeSegments(rawPath: string): string[] | null {
  if (!rawPath.startsWith('/')) return null;
  const parts = rawPath.slice(1).split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i];
    if (raw === '' && i === parts.length - 1) break;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === '' || seg === '.' || seg === '..') return null;
    if (/[/\\\0]/.test(seg)) return null;
    out.push(seg);
  }
  return out;
}
