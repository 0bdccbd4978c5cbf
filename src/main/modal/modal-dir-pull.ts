/**
 * Mirrors a volume folder of complete, atomically published subfolders (a trainer's out/checkpoints/step-N) into a
 * local one while a Modal job runs, like the SSH backend's dir-pull: each new subfolder is fetched file by file into
 * `<name>.partial` and renamed into place only when whole; ones the job pruned (save_total_limit) are dropped here.
 */
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { failure, runModal, type ModalCli } from './modal-cli';

const MISSING = /not found|no such file|does not exist|doesn't exist|404/i;

interface VolumeEntry {
  name: string;
  dir: boolean;
}

/** `modal volume ls --json` of one folder; null when it does not exist (yet). */
async function listVolumeDir(cli: ModalCli, volume: string, path: string, signal?: AbortSignal): Promise<VolumeEntry[] | null> {
  const r = await runModal(cli, ['volume', 'ls', '--json', volume, path], { signal });
  if (r.code !== 0) {
    if (MISSING.test(`${r.stderr}\n${r.stdout.toString('utf8')}`)) return null;
    throw failure(r, `listing ${path} on the Modal volume ${volume}`);
  }
  const rows = JSON.parse(r.stdout.toString('utf8') || '[]') as { Filename?: string; Type?: string }[];
  return rows.map((row) => ({ name: posix.basename(String(row.Filename ?? '')), dir: /dir/i.test(String(row.Type ?? '')) })).filter((e) => e.name !== '' && e.name !== '..' && e.name !== '.');
}

/** Fetches one volume folder (recursively) into `local`; false when the job pruned it meanwhile. */
async function pullFolder(cli: ModalCli, volume: string, remote: string, local: string, signal?: AbortSignal): Promise<boolean> {
  const entries = await listVolumeDir(cli, volume, remote, signal);
  if (entries === null) return false;
  mkdirSync(local, { recursive: true });
  for (const e of entries) {
    if (e.dir) {
      if (!(await pullFolder(cli, volume, posix.join(remote, e.name), join(local, e.name), signal))) return false;
      continue;
    }
    const file = join(local, e.name);
    mkdirSync(dirname(file), { recursive: true });
    const r = await runModal(cli, ['volume', 'get', volume, posix.join(remote, e.name), '-'], { sink: createWriteStream(file), signal });
    if (r.code !== 0) {
      if (MISSING.test(r.stderr)) return false;
      throw failure(r, `downloading ${posix.join(remote, e.name)}`);
    }
  }
  return true;
}

/** Brings `localParent` in line with the volume's `remoteParent`: new matching subfolders fetched whole, pruned ones removed. Returns the names now mirrored. */
export async function pullVolumeSubdirs(cli: ModalCli, volume: string, remoteParent: string, localParent: string, pattern: RegExp, signal?: AbortSignal): Promise<string[]> {
  const entries = await listVolumeDir(cli, volume, remoteParent, signal);
  if (entries === null) return [];
  const remote = entries.filter((e) => e.dir && pattern.test(e.name)).map((e) => e.name);
  mkdirSync(localParent, { recursive: true });
  for (const name of remote) {
    const local = join(localParent, name);
    if (existsSync(local)) continue;
    const staging = `${local}.partial`;
    rmSync(staging, { recursive: true, force: true });
    if (await pullFolder(cli, volume, posix.join(remoteParent, name), staging, signal)) renameSync(staging, local);
    else rmSync(staging, { recursive: true, force: true });
  }
  for (const name of readdirSync(localParent)) {
    if (pattern.test(name) && !remote.includes(name)) rmSync(join(localParent, name), { recursive: true, force: true });
  }
  return remote.filter((n) => existsSync(join(localParent, n)));
}
