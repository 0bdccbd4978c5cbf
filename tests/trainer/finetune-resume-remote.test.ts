/**
 * Resume on another backend, end to end with the real mini-VLM trainer: a LOCAL fine-tune cancelled after its first
 * checkpoint is resumed through finetunes:resume on an SSH host (real sshd, the test user's own venv) and finishes
 * with the same per-step losses as an uninterrupted local run, registering one model; resumed again on the STAND-IN
 * modal CLI (tests/support/modal-stand-in.mjs; Modal's cloud cannot exist here) it finishes too. Both ship the
 * checkpoint inside the sealed bundle (resume/checkpoints/step-N with the metrics rows so far).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { createFinetuneHandlers } from '../../src/main/api/finetune-handlers';
import { BUNDLE_MANIFEST, verifyBundle, type BundleManifest } from '../../src/main/finetunes/finetune-bundle';
import { finetuneJobDir } from '../../src/main/finetunes/finetune-kind';
import { JobManager } from '../../src/main/jobs/job-manager';
import { listModels } from '../../src/main/models/model-registry';
import { addHost } from '../../src/main/ssh/host-store';
import { studioKnownHostsFile, trustHostKey } from '../../src/main/ssh/known-hosts';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { finetuneSpecSchema } from '../../src/shared/finetune-types';
import { MODAL_STAND_IN } from '../fixtures/modal-job-kind';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { ensureRemotePythonEnv } from '../support/remote-python-env';
import { makeRemoteWorkDir, sshdUnavailable, startSshd, type Sshd } from '../support/sshd';
import { ensureMiniVlmBase, makeMiniWorkspace, MINI_SYSTEM, MINI_USER } from './mini-fixtures';
import { trainerPython } from './python';
import { readRows, type MetricRow } from './resume-run';

const skip = sshdUnavailable();
if (skip) console.log(`remote resume tests skipped: ${skip}`);
/** Enough steps that the cancel lands before the end on a fast idle CPU (the mini trainer does ~50 steps/s at batch 1). */
const STEPS = 160;
const saved = { PATH: process.env.PATH, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS, MKL_NUM_THREADS: process.env.MKL_NUM_THREADS };

let sshd: Sshd;
let root: string;
let ws: Workspace;
let jobs: JobManager;
let hostId: number;
let workDir: string;
const bus = new StudioEventBus();
const removals: (() => void)[] = [];

beforeAll(async () => {
  if (skip) return;
  process.env.OMP_NUM_THREADS = '2';
  process.env.MKL_NUM_THREADS = '2';
  sshd = await startSshd();
  const [python, base] = await Promise.all([ensureRemotePythonEnv(sshd), ensureMiniVlmBase()]);
  root = await makeMiniWorkspace(base);
  removals.push(() => execFileSync('rm', ['-rf', root]));
  const remote = makeRemoteWorkDir(sshd, `ft-resume-${Date.now()}`);
  removals.push(() => remote.remove());
  workDir = remote.dir;
  ws = openWorkspace(root);
  trustHostKey(studioKnownHostsFile(root), '127.0.0.1', sshd.port, sshd.hostKeyBlob);
  hostId = addHost(ws.db, { name: 'test-sshd', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: sshd.clientKey, workDir: remote.dir, python }).id;
  jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db, modalPollMs: 300 });
}, 1_200_000);

afterAll(async () => {
  await jobs?.close();
  ws?.close();
  for (const r of removals.splice(0)) r();
  Object.assign(process.env, saved);
  delete process.env.MODAL_STAND_IN_ROOT;
  delete process.env.MODAL_CONFIG_PATH;
  cleanupTempDirs();
  await sshd?.stop();
});

const spec = finetuneSpecSchema.parse({
  baseModelId: 1,
  versionId: 1,
  systemPrompt: MINI_SYSTEM,
  userPrompt: MINI_USER,
  evaluate: { enabled: false },
  hyperparams: { optim: 'adamw_torch', learning_rate: 3e-3, gradient_accumulation_steps: 1, batch_size: 1, max_steps: STEPS, logging_steps: 1, eval_steps: 40, save_steps: 2 },
});
const run = (id: string) => join(finetuneJobDir(root, id), 'run');

/** Largest |Δ| of train and eval loss between two runs' rows, after checking they log the same steps. */
function worstDelta(a: MetricRow[], b: MetricRow[]): number {
  expect(b.map((r) => r.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  expect(a.map((r) => r.step)).toEqual(b.map((r) => r.step));
  let worst = 0;
  for (const [i, r] of b.entries()) {
    expect(r.eval_loss === undefined).toBe(a[i].eval_loss === undefined);
    worst = Math.max(worst, Math.abs(r.train_loss - a[i].train_loss), Math.abs((r.eval_loss ?? 0) - (a[i].eval_loss ?? 0)));
  }
  return worst;
}

/** The resumed job's bundle ships the checkpoint, sealed with its sha256s, and the metrics rows up to its step only. */
async function expectShipped(id: string, step: number): Promise<void> {
  const bundle = join(finetuneJobDir(root, id), 'bundle');
  const manifest = JSON.parse(readFileSync(join(bundle, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
  expect(manifest.files[`resume/checkpoints/step-${step}/state.json`]).toMatch(/^[0-9a-f]{64}$/);
  expect(manifest.files['resume/metrics.jsonl']).toMatch(/^[0-9a-f]{64}$/);
  expect((await verifyBundle(bundle)).ok).toBe(true);
  expect(readRows(join(bundle, 'resume')).map((r) => r.step)).toEqual(Array.from({ length: step }, (_, i) => i + 1));
}

describe.skipIf(skip)('resuming a cancelled local mini-VLM fine-tune on another backend', () => {
  let straight = '';
  let stopped = '';
  let from = 0;

  it('a local job cancelled after its first checkpoint, resumed on the SSH host, logs the uninterrupted losses and registers one model', async () => {
    const handlers = createFinetuneHandlers(ws, jobs);
    straight = jobs.start('finetune', spec);
    expect((await jobs.wait(straight)).status).toBe('done');

    stopped = jobs.start('finetune', spec);
    const checkpointed = new Promise<void>((resolve) => {
      const off = bus.on('jobs:progress', (p) => {
        // Any complete checkpoint (save_total_limit prunes the older ones as training goes on).
        const ckpts = join(run(stopped), 'checkpoints');
        if (p.jobId === stopped && existsSync(ckpts) && readdirSync(ckpts).some((d) => /^step-\d+$/.test(d) && existsSync(join(ckpts, d, 'state.json')))) {
          off();
          jobs.cancel(stopped);
          resolve();
        }
      });
    });
    // Fail at once (not at the test timeout) when the job ends before the cancel could land.
    await Promise.race([checkpointed, jobs.wait(stopped).then((j) => expect.fail(`the job ended ${j.status} before it could be cancelled; raise STEPS`))]);
    expect((await jobs.wait(stopped)).status).toBe('cancelled');
    from = (await handlers['finetunes:get']({ jobId: stopped })).resumableStep!;
    expect(from).toBeGreaterThanOrEqual(2);
    expect(from).toBeLessThan(STEPS);

    const t0 = Date.now();
    const { jobId: resumed } = await handlers['finetunes:resume']({ jobId: stopped, backend: { kind: 'ssh', hostId } });
    const info = await jobs.wait(resumed);
    expect(info.status, info.error ?? '').toBe('done');
    console.log(`[resume-remote] SSH resume from step ${from}: ${Date.now() - t0} ms`);
    await expectShipped(resumed, from);
    const cmd = (await sshd.sh(`cat ${workDir}/jobs/${resumed}/command.sh`)).stdout;
    expect(cmd).toContain(`'--resume' '../resume/checkpoints/step-${from}'`);
    const worst = worstDelta(readRows(run(straight)), readRows(run(resumed)));
    console.log(`[resume-remote] local → SSH: max |Δloss| over ${STEPS} steps ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    // The resumed run folder holds the adopted checkpoint too (mirrored back): it can itself be resumed.
    expect(existsSync(join(run(resumed), 'checkpoints', `step-${STEPS}`, 'state.json'))).toBe(true);
    const models = listModels(ws.db).filter((m) => m.provenance.finetune?.jobId === resumed);
    expect(models.map((m) => m.provenance.finetune!.backend)).toEqual(['ssh']);
    expect(listModels(ws.db).filter((m) => m.provenance.finetune?.jobId === stopped)).toHaveLength(0);
  }, 1_500_000);

  it('the same cancelled job resumed on the stand-in modal CLI finishes and registers its model', async () => {
    expect(stopped).not.toBe('');
    const bin = makeTempDir('vcs-modal-bin-');
    symlinkSync(MODAL_STAND_IN, join(bin, 'modal'));
    writeFileSync(join(bin, 'python'), `#!/bin/sh\nexec '${trainerPython()}' "$@"\n`, { mode: 0o755 });
    process.env.PATH = `${bin}:${dirname(process.execPath)}:${saved.PATH ?? ''}`;
    const cloud = makeTempDir('vcs-modal-cloud-');
    process.env.MODAL_STAND_IN_ROOT = cloud;
    process.env.MODAL_CONFIG_PATH = join(cloud, 'modal.toml');
    writeFileSync(join(cloud, 'modal.toml'), '[stand-in]\ntoken_id = "from-login"\n'); // the stand-in CLI's own login

    const handlers = createFinetuneHandlers(ws, jobs);
    const t0 = Date.now();
    const { jobId: resumed } = await handlers['finetunes:resume']({ jobId: stopped, backend: { kind: 'modal', gpu: 'A10G', timeoutMinutes: 30 } });
    const info = await jobs.wait(resumed);
    expect(info.status, info.error ?? '').toBe('done');
    console.log(`[resume-remote] Modal (stand-in) resume from step ${from}: ${Date.now() - t0} ms`);
    await expectShipped(resumed, from);
    const worst = worstDelta(readRows(run(straight)), readRows(run(resumed)));
    console.log(`[resume-remote] local → Modal stand-in: max |Δloss| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    expect(listModels(ws.db).filter((m) => m.provenance.finetune?.jobId === resumed).map((m) => m.provenance.finetune!.backend)).toEqual(['modal']);
  }, 1_500_000);
});
