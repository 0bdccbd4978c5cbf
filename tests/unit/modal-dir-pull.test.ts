/** Checkpoint mirroring from a Modal volume through the STAND-IN modal CLI (a local folder as the volume): complete step-N folders are fetched byte for byte, temp names are not, and ones the job pruned are dropped locally. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModalCli } from '../../src/main/modal/modal-cli';
import { pullVolumeSubdirs } from '../../src/main/modal/modal-dir-pull';
import { MODAL_STAND_IN } from '../fixtures/modal-job-kind';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

let cloud: string;
beforeEach(() => {
  cloud = makeTempDir('vcs-modal-cloud-');
  process.env.MODAL_STAND_IN_ROOT = cloud;
  process.env.MODAL_CONFIG_PATH = join(cloud, 'no-modal.toml');
});
afterEach(() => {
  delete process.env.MODAL_STAND_IN_ROOT;
  delete process.env.MODAL_CONFIG_PATH;
  cleanupTempDirs();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('pullVolumeSubdirs (checkpoints mirrored from the Modal volume while a job runs, stand-in CLI)', () => {
  it('fetches complete step-N folders, skips temp names, drops pruned ones, and finds nothing where there is no folder', { timeout: 60_000 }, async () => {
    const cli: ModalCli = { bin: MODAL_STAND_IN, token: { tokenId: 'ak-test', tokenSecret: 'as-test' } };
    const ck = join(cloud, 'volumes', 'vol', 'jobs', 'j1', 'out', 'checkpoints');
    mkdirSync(join(ck, 'step-2', 'adapter'), { recursive: true });
    mkdirSync(join(ck, 'step-4.tmp'), { recursive: true });
    const optimizer = randomBytes(300_000);
    writeFileSync(join(ck, 'step-2', 'optimizer.pt'), optimizer);
    writeFileSync(join(ck, 'step-2', 'adapter', 'state.json'), '{"step": 2}\n');
    writeFileSync(join(ck, 'step-4.tmp', 'optimizer.pt'), 'partial\n');
    const local = join(makeTempDir('vcs-pull-'), 'checkpoints');
    expect(await pullVolumeSubdirs(cli, 'vol', '/jobs/j1/out/checkpoints', local, /^step-\d+$/)).toEqual(['step-2']);
    expect(sha(readFileSync(join(local, 'step-2', 'optimizer.pt')))).toBe(sha(optimizer));
    expect(JSON.parse(readFileSync(join(local, 'step-2', 'adapter', 'state.json'), 'utf8'))).toEqual({ step: 2 });
    expect(readdirSync(local)).toEqual(['step-2']);

    // The trainer publishes step-4 (rename) and prunes step-2 (save_total_limit).
    renameSync(join(ck, 'step-4.tmp'), join(ck, 'step-4'));
    rmSync(join(ck, 'step-2'), { recursive: true });
    expect(await pullVolumeSubdirs(cli, 'vol', '/jobs/j1/out/checkpoints', local, /^step-\d+$/)).toEqual(['step-4']);
    expect(readdirSync(local).sort()).toEqual(['step-4']);
    expect(readFileSync(join(local, 'step-4', 'optimizer.pt'), 'utf8')).toBe('partial\n');
    // No checkpoints folder (a trainer without checkpoints): nothing found, nothing removed.
    expect(await pullVolumeSubdirs(cli, 'vol', '/jobs/j1/none', local, /^step-\d+$/)).toEqual([]);
    expect(readdirSync(local)).toEqual(['step-4']);
  });
});
