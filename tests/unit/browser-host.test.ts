/** Proves the browser host's security envelope (token, Host, Origin, traversal, CSP) and its API/event/media plumbing against a real server. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CHANNEL_NAMES } from '../../src/shared/ipc-contract';
import { StudioEventBus } from '../../src/main/api/event-bus';
import type { Handlers } from '../../src/main/api/handler-types';
import { StudioError } from '../../src/main/errors';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host';
import { defaultWorkspaceDir, parseServeArgs } from '../../src/main/host/serve-args';
import { openWorkspace, thumbPath, type Workspace } from '../../src/main/workspace/workspace';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const HASH = 'ab'.repeat(32);
const THUMB_BYTES = 'RIFF-fake-webp-thumbnail';

let root: string;
let ws: Workspace;
let host: BrowserHost;
let cookie: string;
const bus = new StudioEventBus();
let sampleId: number;
let missingSampleId: number;

function handlers(): Handlers {
  const base = Object.fromEntries(
    CHANNEL_NAMES.map((c) => [
      c,
      () => {
        throw new StudioError('failed', 'not in this test');
      },
    ]),
  ) as unknown as Handlers;
  return {
    ...base,
    'datasets:list': () => [],
    'samples:get': ({ sampleId: id }) => {
      throw new StudioError('not-found', `sample ${id} not found`);
    },
    'datasets:create': ({ name }) => ({ id: 7, name, echoed: true }) as unknown as ReturnType<Handlers['datasets:create']>,
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vcs-host-'));
  ws = openWorkspace(join(root, 'ws'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'top secret');

  const datasetId = Number(ws.db.prepare("INSERT INTO datasets (name) VALUES ('d')").run().lastInsertRowid);
  ws.db.prepare("INSERT INTO images (hash, ext, format, width, height, bytes, has_thumb) VALUES (?, 'jpg', 'jpeg', 4, 4, 10, 1)").run(HASH);
  ws.db.prepare("INSERT INTO images (hash, ext, format, width, height, bytes, has_thumb) VALUES (?, 'png', 'png', 4, 4, 10, 0)").run('cd'.repeat(32));
  const insert = ws.db.prepare("INSERT INTO samples (dataset_id, image_hash, original_path) VALUES (?, ?, '/somewhere/x.jpg')");
  sampleId = Number(insert.run(datasetId, HASH).lastInsertRowid);
  missingSampleId = Number(insert.run(datasetId, 'cd'.repeat(32)).lastInsertRowid);
  const thumb = thumbPath(ws, HASH);
  mkdirSync(dirname(thumb), { recursive: true });
  writeFileSync(thumb, THUMB_BYTES);

  host = await startBrowserHost({ workspace: ws, handlers: handlers(), bus, rendererDir, port: 0 });
  cookie = `studio_token_${host.port}=${host.token}`;
});

afterAll(async () => {
  await host?.close();
  ws?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('browser host', () => {
  it('listens on 127.0.0.1 with a 256-bit base64url token in the URL', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses requests without a token or with a wrong one', async () => {
    expect((await raw(host.port, '/')).status).toBe(403);
    expect((await raw(host.port, '/assets/app.js')).status).toBe(403);
    expect((await raw(host.port, `/?token=${host.token}x`)).status).toBe(403);
    expect((await raw(host.port, '/', { headers: { cookie: `studio_token_${host.port}=nope` } })).status).toBe(403);
    const api = await raw(host.port, '/api/datasets:list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(403);
    expect(JSON.parse(api.body)).toMatchObject({ code: 'forbidden' });
  });

  it('refuses a foreign Host header (DNS rebinding) and a cross-origin Origin even with the token', async () => {
    const evil = await raw(host.port, '/', { headers: { host: `evil.example:${host.port}`, cookie } });
    expect(evil.status).toBe(403);
    const cross = await raw(host.port, '/api/datasets:list', {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
    const same = await raw(host.port, '/', { headers: { host: `localhost:${host.port}`, cookie: cookie, origin: `http://localhost:${host.port}` } });
    expect(same.status).toBe(200);
  });

  it('accepts ?token once, sets an HttpOnly SameSite=Strict cookie, and the cookie then works', async () => {
    const first = await raw(host.port, `/?token=${host.token}`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>studio</title>');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toContain(cookie);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const asset = await raw(host.port, '/assets/app.js', { headers: { cookie: setCookie.split(';')[0] } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    const viaHeader = await raw(host.port, '/assets/app.js', { headers: { 'x-studio-token': host.token } });
    expect(viaHeader.status).toBe(200);
  });

  it('sends the strict CSP and security headers', async () => {
    const res = await raw(host.port, '/', { headers: { cookie } });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`ws://127.0.0.1:${host.port}`);
    expect(csp).toMatch(/img-src 'self' studio-media: blob: data:/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('round-trips POST /api/<channel> and maps errors to status codes', async () => {
    const post = (channel: string, body: string, headers: Record<string, string> = {}) =>
      raw(host.port, `/api/${channel}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body });
    const ok = await post('datasets:create', JSON.stringify({ name: '  pets ' }));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ id: 7, name: 'pets', echoed: true });

    const bad = await post('datasets:create', JSON.stringify({ name: 42 }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ code: 'invalid-args', message: expect.stringMatching(/name/) });

    expect((await post('samples:get', JSON.stringify({ sampleId: 5 }))).status).toBe(404);
    expect((await post('jobs:list', '{}')).status).toBe(500);
    expect((await post('no:such', '{}')).status).toBe(400);
    expect((await post('datasets:list', '{not json')).status).toBe(400);
    expect((await post('datasets:list', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await raw(host.port, '/api/datasets:list', { headers: { cookie } })).status).toBe(405);
    const huge = await post('datasets:create', JSON.stringify({ name: 'x'.repeat(1_100_000) }));
    expect(huge.status).toBe(413);
  });

  it('pushes bus events over the WebSocket to token holders only', async () => {
    const url = `ws://127.0.0.1:${host.port}/events`;
    const refused = await new Promise<number>((resolve) => {
      const sock = new WebSocket(url);
      sock.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      sock.on('error', () => resolve(-1));
    });
    expect(refused).toBe(403);
    const crossOrigin = await new Promise<number>((resolve) => {
      const sock = new WebSocket(url, { headers: { cookie }, origin: 'http://evil.example' });
      sock.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      sock.on('error', () => resolve(-1));
    });
    expect(crossOrigin).toBe(403);

    const sock = new WebSocket(url, { headers: { cookie }, origin: `http://127.0.0.1:${host.port}` });
    await new Promise<void>((resolve, reject) => {
      sock.on('open', () => resolve());
      sock.on('error', reject);
    });
    const received = new Promise<unknown>((resolve) => sock.once('message', (data) => resolve(JSON.parse(String(data)))));
    bus.emit('dataset:changed', { datasetId: 3, reason: 'edit' });
    expect(await received).toEqual({ event: 'dataset:changed', payload: { datasetId: 3, reason: 'edit' } });
    sock.close();
  });

  it('serves media from the workspace store by sample id only', async () => {
    const thumb = await raw(host.port, `/media/thumb/${sampleId}`, { headers: { cookie } });
    expect(thumb.status).toBe(200);
    expect(thumb.body).toBe(THUMB_BYTES);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(String(thumb.headers['cache-control'])).toMatch(/max-age/);

    const missing = await raw(host.port, `/media/image/${sampleId}`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ code: 'not-found', message: 'original missing from the image store' });
    expect((await raw(host.port, `/media/thumb/${missingSampleId}`, { headers: { cookie } })).status).toBe(404);
    expect((await raw(host.port, '/media/thumb/99999', { headers: { cookie } })).status).toBe(404);
    for (const bad of ['/media/thumb/abc', '/media/thumb/-1', '/media/thumb/0', '/media/file/1', '/media/thumb/1.5', '/media/thumb/%2Fetc%2Fpasswd']) {
      const res = await raw(host.port, bad, { headers: { cookie } });
      expect(res.status, bad).toBe(400);
    }
  });

  it('refuses directory traversal on static files and media', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/media/thumb/../../secret.txt',
      '/media/%2e%2e/%2e%2e/secret.txt',
      '/%00index.html',
    ];
    for (const path of attempts) {
      const res = await raw(host.port, path, { headers: { cookie } });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(res.body, path).not.toContain('top secret');
    }
    expect((await raw(host.port, '/assets', { headers: { cookie } })).status).toBe(404);
    expect((await raw(host.port, '/nope.js', { headers: { cookie } })).status).toBe(404);
    expect((await raw(host.port, '/favicon.ico', { headers: { cookie } })).status).toBe(204);
    expect((await raw(host.port, '/favicon.ico')).status).toBe(403);
  });
});

describe('serve arguments', () => {
  it('defaults to STUDIO_WORKSPACE or the XDG data folder, a random port, out/renderer and seeding on', () => {
    expect(defaultWorkspaceDir({ STUDIO_WORKSPACE: '/data/ws' })).toBe('/data/ws');
    expect(defaultWorkspaceDir({})).toMatch(/\.local\/share\/vlm-classifier-studio\/workspace$/);
    const opts = parseServeArgs([], { STUDIO_WORKSPACE: '/data/ws' });
    expect(opts).toEqual({ workspace: '/data/ws', port: 0, renderer: join(process.cwd(), 'out', 'renderer'), seedSample: true });
  });

  it('parses --workspace, --port, --renderer, --no-sample and rejects junk', () => {
    const opts = parseServeArgs(['--workspace', '/w', '--port', '8123', '--renderer', '/r', '--no-sample'], {});
    expect(opts).toEqual({ workspace: '/w', port: 8123, renderer: '/r', seedSample: false });
    expect(() => parseServeArgs(['--port', '70000'], {})).toThrow(/--port/);
    expect(() => parseServeArgs(['--port', 'abc'], {})).toThrow(/--port/);
    expect(() => parseServeArgs(['--bogus'], {})).toThrow();
  });
});
