/** Serves the built renderer from one directory: fixed content types, no traversal, no directory listings. */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { sendJson } from './http-util';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Serves `segments` (already validated by safeSegments) under rendererDir; '/' maps to index.html. */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  rendererDir: string,
  segments: string[],
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const root = await realpath(resolve(rendererDir)).catch(() => resolve(rendererDir));
  const rel = segments.length === 0 ? ['index.html'] : segments;
  const candidate = resolve(join(root, ...rel));
  const notFound = () => sendJson(res, 404, { code: 'not-found', message: 'no such file' });
  if (!candidate.startsWith(root + sep)) {
    sendJson(res, 400, { code: 'invalid-args', message: 'bad path' });
    return;
  }
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    notFound();
    return;
  }
  if (!real.startsWith(root + sep)) {
    notFound();
    return;
  }
  const info = await stat(real);
  if (!info.isFile()) {
    notFound();
    return;
  }
  const isHtml = real.endsWith('.html');
  res.statusCode = 200;
  res.setHeader('Content-Type', contentTypeFor(real));
  res.setHeader('Content-Length', info.size);
  res.setHeader('Cache-Control', isHtml ? 'no-store' : 'no-cache');
  for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(real).on('error', () => res.destroy()).pipe(res);
}
