/**
 * The job's Modal volume through the CLI: create it, put the bundle, read small files (whole, then sliced by the
 * consumed offset: `modal volume get` has no ranges), and fetch the artifacts result.json lists, each sha256-checked
 * in a staging folder that is renamed into place only when all match.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ArtifactError, parseRemoteResult, type RemoteResult } from '../ssh/artifact-fetch';
import { failure, modalOk, runModal, type ModalCli } from './modal-cli';

const MISSING = /not found|no such file|does not exist|doesn't exist|404/i;

/** Creates the volume; one that already exists is reused. */
export async function ensureVolume(cli: ModalCli, name: string, signal?: AbortSignal): Promise<void> {
  const r = await runModal(cli, ['volume', 'create', name], { signal });
  if (r.code !== 0 && !/already exists/i.test(`${r.stderr}${r.stdout.toString('utf8')}`)) throw failure(r, `creating the Modal volume ${name}`);
}

/** Files and bytes of the bundle folder (symlinks and special files are refused, not followed). */
export function folderStats(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) {
      files++;
      bytes += statSync(join(e.parentPath, e.name)).size;
    } else if (!e.isDirectory()) throw new Error(`the bundle holds ${join(e.parentPath, e.name)}, which is not a regular file`);
  }
  return { files, bytes };
}

/** Uploads a local folder to `remoteDir` on the volume (files already there are overwritten). */
export async function putFolder(cli: ModalCli, volume: string, localDir: string, remoteDir: string, signal?: AbortSignal): Promise<void> {
  await modalOk(cli, ['volume', 'put', '--force', volume, localDir, remoteDir], `uploading the bundle to the Modal volume ${volume}`, signal);
}

/** A file's bytes, or null while it does not exist (yet). */
export async function readVolumeFile(cli: ModalCli, volume: string, path: string, signal?: AbortSignal): Promise<Buffer | null> {
  const r = await runModal(cli, ['volume', 'get', volume, path, '-'], { signal });
  if (r.code === 0) return r.stdout;
  if (MISSING.test(`${r.stderr}\n${r.stdout.toString('utf8')}`)) return null;
  throw failure(r, `reading ${path} from the Modal volume ${volume}`);
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function download(cli: ModalCli, volume: string, path: string, file: string, signal?: AbortSignal): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const r = await runModal(cli, ['volume', 'get', volume, path, '-'], { sink: createWriteStream(file), signal });
  if (r.code !== 0) throw MISSING.test(r.stderr) ? new ArtifactError(`artifact ${path} listed in result.json is not on the volume`) : failure(r, `downloading ${path}`);
}

/** result.json of the job, validated (a missing or malformed one fails the job). */
export async function readVolumeResult(cli: ModalCli, volume: string, path: string, signal?: AbortSignal): Promise<RemoteResult> {
  return parseRemoteResult(await readVolumeFile(cli, volume, path, signal));
}

/** Downloads every listed file under remoteOut into dest (via dest.partial), verifying each sha256; files already verified there are kept. */
export async function fetchVolumeArtifacts(
  cli: ModalCli,
  opts: { volume: string; remoteOut: string; result: RemoteResult; dest: string; signal?: AbortSignal; onProgress(done: number, total: number): void },
): Promise<void> {
  const staging = `${opts.dest}.partial`;
  const entries = Object.entries(opts.result.files);
  let index = 0;
  for (const [path, sha] of entries) {
    opts.onProgress(index++, entries.length);
    const final = join(staging, path);
    if (existsSync(final) && (await sha256File(final)) === sha) continue;
    const part = `${final}.part`;
    await download(cli, opts.volume, `${opts.remoteOut}/${path}`, part, opts.signal);
    const got = await sha256File(part);
    if (got !== sha) {
      rmSync(part, { force: true });
      throw new ArtifactError(`artifact ${path} failed its sha256 check (result.json says ${sha.slice(0, 12)}…, got ${got.slice(0, 12)}…); nothing was registered`);
    }
    renameSync(part, final);
  }
  writeFileSync(join(staging, 'result.json'), JSON.stringify(opts.result, null, 2));
  rmSync(opts.dest, { recursive: true, force: true });
  renameSync(staging, opts.dest);
  opts.onProgress(entries.length, entries.length);
}
