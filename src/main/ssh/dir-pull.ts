/**
 * Mirrors a remote folder of complete, atomically published subfolders (a trainer's out/checkpoints/step-N) into a
 * local one while the work runs, so the job can later continue elsewhere: each new subfolder is fetched with the
 * host's sha256sum listing, checked, and renamed into place only when whole; ones the host pruned are dropped here.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Client, SFTPWrapper } from 'ssh2';
import { exec, shq } from './ssh-remote';

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function fastGet(sftp: SFTPWrapper, remote: string, local: string): Promise<void> {
  return new Promise((resolve, reject) => sftp.fastGet(remote, local, (err) => (err ? reject(err) : resolve())));
}

/** Names of `remoteParent`'s subfolders that match `pattern` (none when it does not exist yet). */
async function remoteSubdirs(client: Client, remoteParent: string, pattern: RegExp): Promise<string[]> {
  const r = await exec(client, `[ -d ${shq(remoteParent)} ] && find ${shq(remoteParent)} -mindepth 1 -maxdepth 1 -type d -printf '%f\\n'; true`);
  if (r.code !== 0) throw new Error(`listing ${remoteParent} failed on the host: ${r.stderr.trim().split('\n')[0]}`);
  return r.stdout.split('\n').filter((n) => pattern.test(n));
}

/** Fetches one remote folder into `<local>.partial`, each file checked against the host's sha256sum, then renames it to `local`. */
async function pullDir(client: Client, sftp: SFTPWrapper, remote: string, local: string): Promise<void> {
  const r = await exec(client, `cd ${shq(remote)} && find . -type f -exec sha256sum {} +`);
  // The host pruned it meanwhile (save_total_limit): nothing to mirror.
  if (r.code !== 0) return;
  const staging = `${local}.partial`;
  rmSync(staging, { recursive: true, force: true });
  for (const line of r.stdout.split('\n').filter((l) => l.trim())) {
    const sha = line.slice(0, 64);
    const rel = line.slice(66).replace(/^\.\//, '');
    if (!rel || rel.split('/').includes('..')) throw new Error(`unexpected file name in ${remote}: ${rel}`);
    const dest = join(staging, rel);
    mkdirSync(dirname(dest), { recursive: true });
    await fastGet(sftp, `${remote}/${rel}`, dest);
    if ((await sha256File(dest)) !== sha) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`${remote}/${rel} changed while it was fetched`);
    }
  }
  renameSync(staging, local);
}

/**
 * One mirroring pass: fetches subfolders the local side lacks and drops local ones the host no longer has (when the
 * host still lists some). Returns the subfolders now held locally.
 */
export async function mirrorCompleteDirs(client: Client, sftp: SFTPWrapper, remoteParent: string, localParent: string, pattern = /^step-\d+$/): Promise<string[]> {
  const remote = await remoteSubdirs(client, remoteParent, pattern);
  mkdirSync(localParent, { recursive: true });
  for (const name of remote) {
    if (!existsSync(join(localParent, name))) await pullDir(client, sftp, `${remoteParent}/${name}`, join(localParent, name));
  }
  const local = readdirSync(localParent).filter((n) => pattern.test(n));
  if (remote.length > 0) for (const name of local.filter((n) => !remote.includes(n))) rmSync(join(localParent, name), { recursive: true, force: true });
  return readdirSync(localParent).filter((n) => pattern.test(n));
}
