/**
 * Copies a local bundle folder to a host through a content-addressed blob store (<workDir>/blobs/<sha256>), so only
 * files the host does not have travel; a partial upload (<sha>.part) continues from its size, and each blob is
 * checked with the host's sha256sum before it is published. The job's bundle folder is then hard links to the blobs.
 */
import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Client, SFTPWrapper } from 'ssh2';
import { exec, run, shq } from './ssh-remote';

export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface UploadStats {
  files: number;
  /** Files whose content the host already had. */
  reused: number;
  /** Bytes sent now (a resumed file counts only its rest). */
  sentBytes: number;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Every regular file under the folder (symlinks and special files are refused, not followed). */
export async function bundleManifest(dir: string): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = lstatSync(full);
      if (st.isDirectory()) await walk(full);
      else if (st.isFile()) out.push({ path: relative(dir, full).split(sep).join('/'), size: st.size, sha256: await sha256File(full) });
      else throw new Error(`the bundle holds ${relative(dir, full)}, which is not a regular file`);
    }
  };
  await walk(dir);
  return out;
}

/** Free bytes where the work dir lives (POSIX df). */
async function freeBytes(client: Client, dir: string): Promise<number> {
  const out = await run(client, `df -Pk ${shq(dir)} | tail -1`, 'checking free space');
  return Number(out.trim().split(/\s+/)[3]) * 1024;
}

/** Most bytes of one remote command: sshd hands it to `sh -c` as ONE argument, which Linux caps at 128 KiB (MAX_ARG_STRLEN). */
const MAX_COMMAND_BYTES = 48 * 1024;

/** Groups shell lines into commands below MAX_COMMAND_BYTES each, in order (a big bundle needs several). */
export function commandBatches(lines: string[], maxBytes = MAX_COMMAND_BYTES): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let size = 0;
  for (const line of lines) {
    const n = Buffer.byteLength(line) + 1;
    if (cur.length > 0 && size + n > maxBytes) {
      out.push(cur.join('\n'));
      cur = [];
      size = 0;
    }
    cur.push(line);
    size += n;
  }
  if (cur.length > 0) out.push(cur.join('\n'));
  return out;
}

/** Checks uploaded parts with the host's sha256sum and publishes them, in commands below the argument-size cap. */
async function publishBlobs(client: Client, blobs: string, entries: ManifestEntry[]): Promise<void> {
  const lines = entries.map((e) => `h=$(sha256sum < ${e.sha256}.part | cut -c1-64); if [ "$h" = ${e.sha256} ]; then mv -f ${e.sha256}.part ${e.sha256}; else rm -f ${e.sha256}.part; echo ${shq(e.path)}; fi`);
  for (const batch of commandBatches(lines)) {
    const r = await exec(client, `cd ${shq(blobs)} || exit 1\n${batch}`);
    const bad = r.stdout.trim();
    if (r.code !== 0 || bad) throw new Error(`uploaded ${bad ? bad.split('\n').join(', ') : 'files'} did not match their sha256 on the host${r.stderr ? ` (${r.stderr.trim().split('\n')[0]})` : ''}; they will be sent again`);
  }
}

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

/** Blobs already on the host (published, or partial with their size). */
async function remoteBlobs(client: Client, blobs: string): Promise<{ done: Set<string>; partial: Map<string, number> }> {
  const out = await run(client, `mkdir -p ${shq(blobs)} && find ${shq(blobs)} -maxdepth 1 -type f -printf '%f %s\\n'`, 'listing the blob store');
  const done = new Set<string>();
  const partial = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [name, size] = line.split(' ');
    if (/^[0-9a-f]{64}$/.test(name ?? '')) done.add(name as string);
    else if (/^[0-9a-f]{64}\.part$/.test(name ?? '')) partial.set((name as string).slice(0, 64), Number(size));
  }
  return { done, partial };
}

export const CHUNK = 32 * 1024;
export const IN_FLIGHT = 16;
/** Writes may land out of order, so a resume re-sends the last window before a partial file's size (holes are filled). */
export const RESUME_OVERLAP = CHUNK * IN_FLIGHT;

/** Where an upload of a file continues, given the size of its partial copy on the host. */
export function resumeAt(partialSize: number, fileSize: number): number {
  return Math.max(0, Math.min(partialSize, fileSize) - RESUME_OVERLAP);
}

function sftpCall<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** Sends bytes [start, size) to the same offsets of the remote file with several writes in flight (one at a time is slow). */
async function sendFrom(sftp: SFTPWrapper, local: string, remote: string, start: number, signal: AbortSignal, onBytes: (n: number) => void): Promise<void> {
  const handle = await sftpCall<Buffer>((cb) => sftp.open(remote, start > 0 ? 'r+' : 'w', cb));
  const fd = await open(local, 'r');
  try {
    const size = (await fd.stat()).size;
    let next = start;
    const worker = async (): Promise<void> => {
      while (next < size) {
        if (signal.aborted) throw new Error('cancelled');
        const pos = next;
        const len = Math.min(CHUNK, size - pos);
        next += len;
        const buf = Buffer.allocUnsafe(len);
        await fd.read(buf, 0, len, pos);
        await sftpCall<void>((cb) => sftp.write(handle, buf, 0, len, pos, (err) => cb(err, undefined)));
        onBytes(len);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  } finally {
    await fd.close();
    await sftpCall<void>((cb) => sftp.close(handle, (err) => cb(err, undefined))).catch(() => undefined);
  }
}

export async function uploadBundle(
  client: Client,
  sftp: SFTPWrapper,
  opts: { localDir: string; manifest: ManifestEntry[]; workDir: string; jobBundleDir: string; onProgress(sent: number, total: number): void; signal: AbortSignal },
): Promise<UploadStats> {
  const blobs = posix.join(opts.workDir, 'blobs');
  const { done, partial } = await remoteBlobs(client, blobs);
  const unique = new Map(opts.manifest.map((e) => [e.sha256, e]));
  const missing = [...unique.values()].filter((e) => !done.has(e.sha256));
  const needed = missing.reduce((n, e) => n + e.size - resumeAt(partial.get(e.sha256) ?? 0, e.size), 0);
  const free = await freeBytes(client, opts.workDir);
  if (needed > free) throw new Error(`no space left on the host's work dir ${opts.workDir}: the bundle needs ${mb(needed)} more, ${mb(free)} free`);
  let sent = 0;
  for (const e of missing) {
    if (opts.signal.aborted) throw new Error('cancelled');
    const part = posix.join(blobs, `${e.sha256}.part`);
    const start = resumeAt(partial.get(e.sha256) ?? 0, e.size);
    try {
      await sendFrom(sftp, join(opts.localDir, e.path), part, start, opts.signal, (n) => opts.onProgress((sent += n), needed));
    } catch (err) {
      const left = await freeBytes(client, opts.workDir).catch(() => -1);
      if (left >= 0 && left < 64 * 1024) throw new Error(`no space left on the host's work dir ${opts.workDir} while uploading ${e.path} (${mb(left)} free)`);
      throw new Error(`uploading ${e.path} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  await publishBlobs(client, blobs, missing);
  const dirs = [...new Set([opts.jobBundleDir, ...opts.manifest.map((e) => posix.dirname(posix.join(opts.jobBundleDir, e.path)))])];
  // Paths relative to the job's bundle folder keep each line short; the dirs come first, so every batch finds its folders.
  const lines = [...dirs.map((d) => `mkdir -p ${shq(d)}`), `cd ${shq(opts.jobBundleDir)}`, ...opts.manifest.map((e) => `ln -f ${shq(posix.join(blobs, e.sha256))} ${shq(e.path)}`)];
  const batches = commandBatches(lines);
  for (const [i, batch] of batches.entries()) await run(client, `set -e\n${i === 0 ? '' : `cd ${shq(opts.jobBundleDir)}\n`}${batch}`, 'linking the bundle');
  return { files: opts.manifest.length, reused: opts.manifest.length - missing.length, sentBytes: sent };
}
