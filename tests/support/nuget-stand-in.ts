/**
 * Stand-in for api.nuget.org (the real feed cannot be reached here): an HTTP CONNECT proxy on
 * 127.0.0.1 that terminates TLS itself with a throwaway CA, serving a NuGet v3 index and a small
 * package in the exact layout onnxruntime-node's installer reads. The installer runs unmodified
 * with GLOBAL_AGENT_HTTPS_PROXY pointing here and NODE_EXTRA_CA_CERTS trusting the test CA.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NugetStandIn {
  /** Env for the installer: proxy + trusted CA. */
  env: Record<string, string>;
  /** Requests seen, as "METHOD path". */
  requests: string[];
  close(): Promise<void>;
}

export interface NugetOptions {
  packageName: string;
  version: string;
  /** Files inside the .nupkg (zip path → bytes). */
  files: Record<string, Buffer>;
  /** Send the package in this many chunks with a pause between them, so progress is observable. */
  chunks?: number;
  chunkDelayMs?: number;
  /** Never answer the package request (for cancel tests). */
  hang?: boolean;
}

function makeCertificates(dir: string): { caFile: string; key: Buffer; cert: Buffer } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=VLM Studio test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=api.nuget.org']);
  // global-agent 4 opens the tunnelled TLS session without a servername, so Node checks the name "localhost".
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:api.nuget.org,DNS:localhost\n');
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '1', '-extfile', 'ext.cnf']);
  return { caFile: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'leaf.key')), cert: readFileSync(join(dir, 'leaf.pem')) };
}

function zip(files: Record<string, Buffer>): Buffer {
  const AdmZip = createRequire(import.meta.url)('adm-zip') as new () => { addFile(name: string, data: Buffer): void; toBuffer(): Buffer };
  const archive = new AdmZip();
  for (const [name, data] of Object.entries(files)) archive.addFile(name, data);
  return archive.toBuffer();
}

export async function startNugetStandIn(opts: NugetOptions): Promise<NugetStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'vcs-nuget-'));
  const { caFile, key, cert } = makeCertificates(dir);
  const nupkg = zip(opts.files);
  const id = opts.packageName.toLowerCase();
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const tls = createHttpsServer({ key, cert }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v3/index.json') return json({ version: '3.0.0', resources: [{ '@id': 'https://api.nuget.org/v3-flatcontainer/', '@type': 'PackageBaseAddress/3.0.0' }] });
    if (req.url === `/v3-flatcontainer/${id}/index.json`) return json({ versions: [opts.version] });
    if (req.url === `/v3-flatcontainer/${id}/${opts.version}/${id}.${opts.version}.nupkg`) {
      if (opts.hang) return;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': nupkg.length });
      const n = Math.max(1, opts.chunks ?? 1);
      const size = Math.ceil(nupkg.length / n);
      let i = 0;
      const next = () => {
        if (i >= n) return void res.end();
        res.write(nupkg.subarray(i * size, (i + 1) * size));
        i += 1;
        setTimeout(next, opts.chunkDelayMs ?? 0);
      };
      return next();
    }
    res.writeHead(404).end();
  });
  const proxy: Server = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (!req.url?.startsWith('api.nuget.org:')) return void socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    tls.emit('connection', socket);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    env: { GLOBAL_AGENT_HTTPS_PROXY: `http://127.0.0.1:${port}`, NODE_EXTRA_CA_CERTS: caFile },
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      tls.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
