/** Test helper: a real HTTP server on 127.0.0.1 that serves a model folder with the Hugging Face Hub's URL shapes. */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listModelFiles } from '../../src/main/models/model-folder-files';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeHubOptions {
  repoId: string;
  revision?: string;
  /** Folder whose files (hidden ones excepted) become the repo. */
  dir: string;
  /** When set, the tree and resolve endpoints answer 401 unless `Authorization: Bearer <token>` is sent. */
  token?: string;
  /** Tree API page size; the next page is linked with `Link: <…>; rel="next"` like the real Hub. */
  pageSize?: number;
}

export interface FakeHubRequest {
  method: string;
  url: string;
  range?: string;
  authorization?: string;
  status?: number;
}

export interface Interruption {
  /** Resolves once the first `afterBytes` bytes were handed to the socket. */
  sent: Promise<void>;
  /** Ends the connection now (only needed with `hold`). */
  drop(): void;
}

interface RepoFile {
  path: string;
  content: Buffer;
  sha256: string;
  gitOid: string;
  lfs: boolean;
}

export interface FakeHub {
  endpoint: string;
  /** Every request received, in order. */
  requests: FakeHubRequest[];
  /** Commit id sent as X-Repo-Commit. */
  commit: string;
  files: Map<string, RepoFile>;
  /** The next response for `path` sends `afterBytes` body bytes, then the connection ends (at once, or on drop() with hold). */
  interruptOnce(path: string, afterBytes: number, opts?: { hold?: boolean }): Interruption;
  /** Serves `path` with one byte flipped from now on (size unchanged, hash wrong). */
  corrupt(path: string, offset?: number): void;
  /** Answers range requests with the whole file (200), like a server without Range support. */
  ignoreRange: boolean;
  close(): Promise<void>;
}

const isLfs = (path: string): boolean => /\.onnx(_data(_\d+)?)?$/.test(path);

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const revision = options.revision ?? 'main';
  const files = new Map<string, RepoFile>();
  for (const f of await listModelFiles(options.dir)) {
    const content = readFileSync(join(options.dir, f.path));
    const sha256 = createHash('sha256').update(content).digest('hex');
    const blob = isLfs(f.path) ? Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${content.length}\n`) : content;
    const gitOid = createHash('sha1').update(`blob ${blob.length}\0`).update(blob).digest('hex');
    files.set(f.path, { path: f.path, content, sha256, gitOid, lfs: isLfs(f.path) });
  }
  const interruptions = new Map<string, { afterBytes: number; hold: boolean; release: () => void; held: Promise<void>; sent: () => void }>();
  const corrupted = new Map<string, number>();
  const requests: FakeHubRequest[] = [];
  const commit = createHash('sha1').update(`${options.repoId}@${revision}`).digest('hex');

  const hub: FakeHub = {
    endpoint: '',
    requests,
    commit,
    files,
    ignoreRange: false,
    interruptOnce(path, afterBytes, opts = {}) {
      let sent!: () => void;
      let release!: () => void;
      const sentP = new Promise<void>((r) => (sent = r));
      const held = new Promise<void>((r) => (release = r));
      interruptions.set(path, { afterBytes, hold: opts.hold ?? false, release, held, sent });
      return { sent: sentP, drop: () => release() };
    },
    corrupt(path, offset = 0) {
      corrupted.set(path, offset);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const i of interruptions.values()) i.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const send = (res: ServerResponse, rec: FakeHubRequest, status: number, headers: Record<string, string>, body = ''): void => {
    rec.status = status;
    res.writeHead(status, headers).end(body);
  };
  const authorized = (req: IncomingMessage): boolean => !options.token || req.headers.authorization === `Bearer ${options.token}`;
  const hubError = (res: ServerResponse, rec: FakeHubRequest, status: number, code: string, message: string): void =>
    send(res, rec, status, { 'content-type': 'application/json', 'x-error-code': code, 'x-error-message': message }, JSON.stringify({ error: message }));

  const serveContent = (req: IncomingMessage, res: ServerResponse, rec: FakeHubRequest, file: RepoFile): void => {
    let content = file.content;
    const flip = corrupted.get(file.path);
    if (flip !== undefined) {
      content = Buffer.from(content);
      content[flip] ^= 0xff;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m && !hub.ignoreRange ? Number(m[1]) : 0;
    if (start >= content.length && content.length > 0) return send(res, rec, 416, { 'content-range': `bytes */${content.length}` });
    const body = content.subarray(start);
    const headers: Record<string, string> = { 'content-length': String(body.length), 'accept-ranges': 'bytes', 'x-repo-commit': commit, etag: `"${file.sha256}"` };
    if (start > 0) headers['content-range'] = `bytes ${start}-${content.length - 1}/${content.length}`;
    rec.status = start > 0 ? 206 : 200;
    res.writeHead(rec.status, headers);
    const cut = interruptions.get(file.path);
    if (!cut || cut.afterBytes >= body.length) return void res.end(body);
    interruptions.delete(file.path);
    res.write(body.subarray(0, cut.afterBytes), () => {
      cut.sent();
      const end = (): void => void res.socket?.end();
      if (cut.hold) {
        res.socket?.once('close', cut.release);
        void cut.held.then(end);
      } else end();
    });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rec: FakeHubRequest = { method: req.method ?? 'GET', url: url.pathname + url.search, range: req.headers.range, authorization: req.headers.authorization };
    requests.push(rec);
    const path = decodeURIComponent(url.pathname);
    if (path.startsWith('/cdn/')) {
      const file = [...files.values()].find((f) => f.sha256 === path.slice(5));
      return file ? serveContent(req, res, rec, file) : send(res, rec, 404, {}, 'no such object');
    }
    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/(.+)$/.exec(url.pathname);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const repo = tree?.[1] ?? resolve?.[1];
    const rev = decodeURIComponent(tree?.[2] ?? resolve?.[2] ?? '');
    if (repo === undefined) return send(res, rec, 404, {}, 'not found');
    if (!authorized(req)) return hubError(res, rec, 401, 'GatedRepo', 'Access to this model is restricted; you must be authenticated');
    if (repo !== options.repoId) return hubError(res, rec, 404, 'RepoNotFound', 'Repository not found');
    if (rev !== revision) return hubError(res, rec, 404, 'RevisionNotFound', 'Invalid rev id');
    if (tree) {
      const entries = [
        ...new Set([...files.keys()].filter((p) => p.includes('/')).map((p) => p.slice(0, p.lastIndexOf('/')))),
      ].map((d) => ({ type: 'directory', oid: createHash('sha1').update(d).digest('hex'), size: 0, path: d }));
      const all = [
        ...entries,
        ...[...files.values()].map((f) => ({
          type: 'file',
          oid: f.gitOid,
          size: f.content.length,
          path: f.path,
          ...(f.lfs ? { lfs: { oid: f.sha256, size: f.content.length, pointerSize: 134 } } : {}),
        })),
      ];
      const cursor = Number(url.searchParams.get('cursor') ?? '0');
      const size = options.pageSize ?? all.length;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (cursor + size < all.length) headers.link = `<${hub.endpoint}${url.pathname}?recursive=true&cursor=${cursor + size}>; rel="next"`;
      return send(res, rec, 200, headers, JSON.stringify(all.slice(cursor, cursor + size)));
    }
    const file = files.get(decodeURIComponent(resolve?.[3] ?? ''));
    if (!file) return hubError(res, rec, 404, 'EntryNotFound', 'Entry not found');
    if (file.lfs) return send(res, rec, 302, { location: `/cdn/${file.sha256}`, 'x-repo-commit': commit, 'x-linked-size': String(file.content.length) });
    serveContent(req, res, rec, file);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return hub;
}
