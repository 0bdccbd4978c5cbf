/** Checkpoint mirroring over a real sshd: complete step-N folders are fetched byte for byte, temp names are not, and ones the host pruned are dropped locally. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorCompleteDirs } from '../../src/main/ssh/dir-pull';
import { connect } from '../../src/main/ssh/ssh-connect';
import { openSftp } from '../../src/main/ssh/ssh-remote';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { makeRemoteWorkDir, sshdUnavailable, startSshd, type Sshd } from '../support/sshd';

const skip = sshdUnavailable();
let sshd: Sshd;
beforeAll(async () => {
  if (!skip) sshd = await startSshd();
});
afterAll(async () => {
  cleanupTempDirs();
  await sshd?.stop();
});

describe.skipIf(skip)('mirrorCompleteDirs (checkpoints pulled while a job runs)', () => {
  it('fetches complete step-N folders, skips temp names, drops pruned ones', { timeout: 60_000 }, async () => {
    const remote = makeRemoteWorkDir(sshd, `pull-${Date.now()}`);
    const ck = `${remote.dir}/out/checkpoints`;
    const made = await sshd.sh(
      `mkdir -p ${ck}/step-2/adapter ${ck}/step-4.tmp && head -c 300000 /dev/urandom > ${ck}/step-2/optimizer.pt && echo '{"step": 2}' > ${ck}/step-2/adapter/state.json && echo partial > ${ck}/step-4.tmp/optimizer.pt`,
    );
    expect(made.code, made.stderr).toBe(0);
    const client = await connect({ host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: sshd.clientKey }, { knownHostsFile: sshd.knownHosts });
    try {
      const sftp = await openSftp(client);
      const local = join(makeTempDir('vcs-pull-'), 'checkpoints');
      expect(await mirrorCompleteDirs(client, sftp, ck, local)).toEqual(['step-2']);
      const remoteSha = (await sshd.sh(`sha256sum ${ck}/step-2/optimizer.pt`)).stdout.slice(0, 64);
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(readFileSync(join(local, 'step-2', 'optimizer.pt'))).digest('hex')).toBe(remoteSha);
      expect(JSON.parse(readFileSync(join(local, 'step-2', 'adapter', 'state.json'), 'utf8'))).toEqual({ step: 2 });

      // The trainer publishes step-4 (rename) and prunes step-2 (save_total_limit).
      await sshd.sh(`mv ${ck}/step-4.tmp ${ck}/step-4 && rm -rf ${ck}/step-2`);
      expect(await mirrorCompleteDirs(client, sftp, ck, local)).toEqual(['step-4']);
      expect(readdirSync(local).sort()).toEqual(['step-4']);
      expect(readFileSync(join(local, 'step-4', 'optimizer.pt'), 'utf8')).toBe('partial\n');
      // No checkpoints folder (a trainer without checkpoints): nothing found, nothing removed.
      expect(await mirrorCompleteDirs(client, sftp, `${remote.dir}/none`, local)).toEqual(['step-4']);
    } finally {
      client.end();
      remote.remove();
    }
  });
});
