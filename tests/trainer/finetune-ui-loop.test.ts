/**
 * The fine-tune loop from the UI, for real (browser host + headless chromium at 1280×720, the real Python trainer on a
 * real sshd as a separate user with its own venv): a snapshotted Oxford-pets subset (0.8/0.1/0.1, seed 23), a mini VLM
 * made with the Models page's "Create a mini VLM" button, the SSH host added and its key trusted in the form, Start →
 * the monitor: the uPlot curve gains points while training runs, the phase track walks uploading → running →
 * downloading → registering → evaluating → done, the model is registered, the evaluation card shows both runs and the
 * base-vs-fine-tuned comparison (McNemar, flips) opens by itself. Screenshots in tests/artifacts/finetune-loop-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/api/dispatch';
import { getEvalRun } from '../../src/main/evals/eval-store';
import { getEvaluation, listPhases } from '../../src/main/finetunes/finetune-state-store';
import type { DatasetSummary, DatasetVersion } from '../../src/shared/domain';
import type { RegisteredModel } from '../../src/shared/eval-types';
import type { FinetuneJob } from '../../src/shared/ipc-contract-finetunes';
import { copyPetsSpread } from '../fixtures/real-photos';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from '../e2e/support/launch-studio';
import { ensureRemotePythonEnv } from '../support/remote-python-env';
import { makeRemoteWorkDir, sshdUnavailable, startSshd, type Sshd } from '../support/sshd';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
/** Photos per species: 80 in all → about 64 train / 8 val / 8 test. */
const PER_CLASS = 40;
const MAX_STEPS = 60;
// Under CI=true a missing sshd (or not being root) throws here instead of skipping.
const skip = sshdUnavailable();
if (skip) console.log(`UI fine-tune loop skipped: ${skip}`);

describe.skipIf(skip)('the fine-tune loop from the UI: mini VLM on an SSH host, curve, registration, automatic evaluation (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let sshd: Sshd;
  let remote: { dir: string; remove(): void };
  let python: string;
  let version: DatasetVersion;
  let jobId = '';
  const t0 = Date.now();
  const secs = () => Math.round((Date.now() - t0) / 1000);
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `finetune-loop-${name}.png`) });
  const byTest = (id: string) => studio.page.getByTestId(id);
  // What the monitor shows, read in one non-waiting DOM query (the page may have moved on to the comparison).
  type Shown = { status: string | null; phase: string | null; points: number; error: string | null };
  const probe = (): Promise<Shown> =>
    studio.page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null; textContent: string | null } | null } }).document;
      const track = doc.querySelector('[data-testid="state-track"]');
      const chart = doc.querySelector('[data-testid="loss-chart"]');
      return { status: track?.getAttribute('data-status') ?? null, phase: track?.getAttribute('data-phase') ?? null, points: Number(chart?.getAttribute('data-points') ?? 0), error: doc.querySelector('[data-testid="finetune-error"]')?.textContent ?? null };
    });
  /** Polls cond; on timeout saves a screenshot of the page and fails with what was awaited. */
  const waitFor = async (cond: () => Promise<boolean>, what: string, ms: number) => {
    const end = Date.now() + ms;
    let n = 0;
    while (!(await cond())) {
      if (++n % 50 === 0) console.log(`${secs()} s: still waiting for ${what}: ${JSON.stringify(await probe().catch(() => null))}`);
      if (Date.now() > end) {
        await shot(`timeout-${what.replace(/\W+/g, '-')}`);
        throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      }
      await new Promise((r) => setTimeout(r, 400));
    }
  };
  const center = (id: string) => byTest(id).evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'center' }));

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-ft-loop-'));
    copyPetsSpread(join(tmp, 'pets'), PER_CLASS);
    sshd = await startSshd();
    remote = makeRemoteWorkDir(sshd, `ft-ui-loop-${Date.now()}`);
    // The test user's own venv (built once, cached in its home); an error, never a skip, when it cannot be built.
    python = await ensureRemotePythonEnv(sshd);
    studio = await launchStudio({ workspaceDir: join(tmp, 'ws'), viewport: { width: 1280, height: 720 }, navigate: false });
    const call = createDispatcher(studio.core.handlers);
    const { jobId: importJob } = (await call('datasets:import', { source: join(tmp, 'pets'), format: 'imagefolder', datasetName: 'pets' })) as { jobId: string };
    const imported = await studio.core.jobs.wait(importJob);
    if (imported.status !== 'done') throw new Error(`import ended as ${imported.status}: ${imported.error ?? ''}`);
    const dataset = ((await call('datasets:list', {})) as DatasetSummary[]).find((d) => d.name === 'pets')!;
    await call('splits:assign', { datasetId: dataset.id, seed: 23, ratios: { train: 0.8, val: 0.1, test: 0.1 } });
    version = (await call('versions:create', { datasetId: dataset.id, name: 'v1', note: 'UI loop' })) as DatasetVersion;
    console.log(`setup ${secs()} s: splits ${JSON.stringify(version.splitCounts)}`);
    await studio.page.goto(studio.url);
    await byTest('dataset-title').waitFor();
  }, 600_000);

  afterAll(async () => {
    await studio?.close();
    remote?.remove();
    await sshd?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('creates the mini VLM base from the Models page', async () => {
    const { page } = studio;
    await byTest('section-models').click();
    await byTest('models-empty').waitFor();
    await byTest('mini-vlm-open').click();
    await byTest('mini-vlm-name').fill('pets mini');
    await shot('01-create-mini');
    await byTest('mini-vlm-start').click();
    const done = page.locator('[data-testid="job"][data-status="done"]');
    await done.waitFor({ timeout: 360_000 });
    expect(await done.textContent()).toContain('Created and registered pets mini');
    await page.locator('[data-testid="model-row"][data-model-name="pets mini"]').waitFor();
    console.log(`mini VLM created at ${secs()} s`);
    await shot('02-mini-registered');
  });

  it('fills the form: the mini VLM, the snapshot, a {{labels}} prompt, a small step budget, the SSH host with its key trusted, evaluation with a baseline to create', async () => {
    const mini = (studio.core.handlers['models:list']({}) as RegisteredModel[]).find((m) => m.name === 'pets mini')!;
    await byTest('section-finetunes').click();
    await byTest('new-finetune-open').click();
    await byTest('new-finetune').waitFor();
    await byTest('nf-base').selectOption(String(mini.id));
    expect(await byTest('nf-snapshot').textContent()).toContain(`v1 — train ${version.splitCounts.train} · val ${version.splitCounts.val} · test ${version.splitCounts.test}`);
    await byTest('nf-output').fill('pets-mini-ssh');
    await byTest('eval-system-prompt').fill('You are a veterinarian.');
    await byTest('eval-user-prompt').fill('Which animal is in the photo?\n{{labels}}\nAnswer with one label.');
    expect(await byTest('eval-prompt-preview').textContent()).toContain('- cat\n- dog');
    const hp: Record<string, string> = { learning_rate: '0.003', max_steps: String(MAX_STEPS), batch_size: '4', gradient_accumulation_steps: '1', optim: 'adamw_torch' };
    for (const [k, v] of Object.entries(hp)) {
      const input = byTest(`hp-${k}`);
      if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(v);
      else await input.fill(v);
    }
    await byTest('hp-advanced').locator('summary').click();
    await byTest('hp-logging_steps').fill('2');
    await byTest('hp-eval_steps').fill('10');

    await byTest('backend-ssh').check();
    await byTest('host-add').click();
    const host = { name: 'test-sshd', host: '127.0.0.1', port: String(sshd.port), username: sshd.user, keyPath: sshd.clientKey, workDir: remote.dir, python };
    for (const [k, v] of Object.entries(host)) await byTest(`host-${k}`).fill(v);
    await byTest('host-save').click();
    await expect.poll(() => byTest('host-key').getAttribute('data-state'), { timeout: 30_000 }).toBe('unknown');
    await expect.poll(() => byTest('nf-block-reason').textContent(), { timeout: 15_000 }).toContain('Trust this key');
    await center('host-key');
    await shot('03-host-key-prompt');
    await byTest('host-key-trust').click();
    await expect.poll(() => byTest('host-key').getAttribute('data-state'), { timeout: 30_000 }).toBe('known');

    await byTest('evaluate-enabled').check();
    await byTest('evaluate-baseline').selectOption('');
    await byTest('evaluate-mode-constrained').check();
    await expect.poll(() => byTest('nf-status').getAttribute('data-ready'), { timeout: 30_000 }).toBe('true');
    await center('evaluate-baseline');
    await shot('04-ready');
  });

  it('Start → the monitor: the loss curve gains points while the remote trainer runs', async () => {
    const { page } = studio;
    await byTest('nf-start').click();
    await byTest('finetune-detail').waitFor();
    console.log(`started at ${secs()} s`);
    jobId = (await byTest('finetune-detail').getAttribute('data-job-id'))!;
    const ft = (await studio.core.handlers['finetunes:get']({ jobId })) as FinetuneJob;
    expect(ft.spec).toMatchObject({ backend: { kind: 'ssh' }, evaluate: { enabled: true, baselineRunId: null, mode: 'constrained' }, hyperparams: { max_steps: MAX_STEPS, logging_steps: 2, learning_rate: 0.003 } });
    expect(ft.spec.userPrompt).toContain('{{labels}}');
    // The phase track as the page shows it, sampled until the comparison replaces it.
    const seen: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { phase } = await probe().catch(() => ({ phase: null }));
        if (phase && seen[seen.length - 1] !== phase) seen.push(phase);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const chart = byTest('loss-chart');
    try {
      // A job that ends early fails the test at once, with the error the page shows.
      const points = async () => {
        const shown = await probe();
        if (['failed', 'cancelled', 'interrupted'].includes(shown.status ?? '')) throw new Error(`the fine-tune ended ${shown.status}: ${shown.error}`);
        return shown.points;
      };
      // While the bundle travels, the monitor says so (bytes sent), not just "uploading".
      await waitFor(async () => (await probe()).phase !== 'uploading' || /uploading the bundle: \d+ \/ \d+ bytes|bundle on the host/.test((await byTest('finetune-activity').textContent({ timeout: 500 }).catch(() => '')) ?? ''), 'the upload shown on the monitor', 120_000);
      if ((await probe()).phase === 'uploading') await shot('05-uploading');
      await waitFor(async () => (await points()) >= 2, 'two points on the curve', 300_000);
      const first = { ...(await probe()), at: secs() };
      expect(first.status).toBe('running');
      await shot('06-curve-early');
      await waitFor(async () => (await points()) >= first.points + 3, 'three more points on the curve', 300_000);
      const second = { ...(await probe()), at: secs() };
      expect(second.status).toBe('running');
      // uPlot itself drew the new points: its x scale follows the last logged step.
      expect(Number(await chart.getAttribute('data-scale-x-max'))).toBeGreaterThanOrEqual(Number(await chart.getAttribute('data-x-max')) - 2);
      expect(await page.locator('[data-testid="loss-chart"] canvas').count()).toBe(1);
      console.log(`curve: ${first.points} points at ${first.at} s, ${second.points} at ${second.at} s (still running)`);
      await shot('07-curve-later');

      // The rest of the loop: download, register, evaluate base and fine-tune; the comparison opens by itself.
      await byTest('compare-view').waitFor({ timeout: 420_000 });
      console.log(`comparison opened at ${secs()} s`);
    } finally {
      sampling = false;
      await sampler;
    }
    console.log(`phases seen on the page: ${seen.join(' → ')}`);
    const order = ['queued', 'uploading', 'running', 'downloading', 'registering', 'evaluating', 'done'];
    expect(seen.map((p) => order.indexOf(p))).toEqual([...seen.map((p) => order.indexOf(p))].sort((a, b) => a - b));
    expect(seen).toEqual(expect.arrayContaining(['running', 'evaluating']));
    expect(listPhases(studio.core.workspace.db, jobId).map((p) => p.phase)).toEqual(order);
  });

  it('the comparison shows McNemar and the flips between base and fine-tune', async () => {
    const { page, core } = studio;
    await core.finetuneEvals.settled(jobId);
    const ev = getEvaluation(core.workspace.db, jobId)!;
    expect(ev).toMatchObject({ state: 'done', error: null });
    const a = getEvalRun(core.workspace.db, ev.baselineRunId!);
    const b = getEvalRun(core.workspace.db, ev.finetunedRunId!);
    expect([a.mode, b.mode, a.split, b.split]).toEqual(['constrained', 'constrained', 'test', 'test']);
    await byTest('mcnemar').waitFor();
    expect(await byTest('mcnemar').textContent()).toMatch(/McNemar exact test: p [=<] [\d.]+/);
    const cmp = await core.handlers['evals:compare']({ aId: a.id, bId: b.id });
    expect(cmp.shared).toBe(version.splitCounts.test);
    expect(await byTest('agree-only-a').textContent()).toContain(String(cmp.onlyA));
    expect(await byTest('agree-only-b').textContent()).toContain(String(cmp.onlyB));
    const flips = cmp.onlyA + cmp.onlyB;
    if (flips > 0) expect(await page.locator('[data-testid="disagreement"]').count()).toBeGreaterThanOrEqual(flips);
    else await byTest('disagreements-empty').waitFor();
    console.log(`baseline ${a.name}: accuracy ${a.metrics!.accuracy.toFixed(3)}; fine-tuned ${b.name}: accuracy ${b.metrics!.accuracy.toFixed(3)}; flips ${cmp.onlyA} base-only / ${cmp.onlyB} fine-tune-only of ${cmp.shared}`);
    await shot('08-comparison');
    await byTest('agreement-table').evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
    await shot('09-comparison-flips');
  });

  it('back on the monitor: the track ends done with every phase timed, both runs on the evaluation card, the model link opens the registered model', async () => {
    const { page, core } = studio;
    await byTest('section-finetunes').click();
    await expect.poll(() => byTest('ft-evaluation').getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    const track = byTest('state-track');
    expect(await track.getAttribute('data-phase')).toBe('done');
    for (const phase of ['queued', 'uploading', 'running', 'downloading', 'registering', 'evaluating']) {
      expect(await track.locator(`[data-state="${phase}"]`).getAttribute('data-reached')).toBe('true');
      expect(await byTest(`phase-time-${phase}`).textContent()).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    }
    expect(Number(await byTest('loss-chart').getAttribute('data-points'))).toBe(MAX_STEPS / 2);
    expect(await byTest('ft-steps').textContent()).toContain(`${MAX_STEPS} / ${MAX_STEPS}`);
    expect(await byTest('ft-epoch').textContent()).toContain(`max_steps ${MAX_STEPS} sets the length`);
    expect(await byTest('ft-speed').textContent()).toMatch(/Samples\/s\d+\.\d\d/);
    expect(await byTest('ft-eval-baseline').getAttribute('data-status')).toBe('done');
    expect(await byTest('ft-eval-finetuned').getAttribute('data-status')).toBe('done');
    const ft = (await core.handlers['finetunes:get']({ jobId })) as FinetuneJob;
    expect(ft.job.status).toBe('done');
    expect(ft.model?.name).toBeTruthy();
    expect(await byTest('finetune-model').textContent()).toContain(ft.model!.name);
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await shot('10-monitor-done');
    await center('ft-evaluation');
    await shot('11-evaluation-card');
    await byTest('finetune-model').click();
    const row = page.locator(`[data-testid="model-row"][data-model-name="${ft.model!.name}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Fine-tuned here (SSH host)');
    await shot('12-model-registered');
    const models = core.handlers['models:list']({}) as RegisteredModel[];
    const model = models.find((m) => m.name === ft.model!.name)!;
    expect(model.provenance.finetune).toMatchObject({ jobId, backend: 'ssh', baseModelName: 'pets mini' });
    console.log(`whole loop ${secs()} s; result ${JSON.stringify(ft.job.result)}`);
    expect(studio.pageErrors).toEqual([]);
  });
});
