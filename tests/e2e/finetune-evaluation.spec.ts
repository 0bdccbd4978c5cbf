/**
 * The closed fine-tune loop at 1280×720 in the browser host, without Python: a real snapshotted cats-vs-dogs set, a tiny
 * LFM2-VL base and a seeded-noise "fine-tuned" copy registered with lineage, a done finetune job row with its phase
 * stamps. Its done event starts the evaluation (real eval jobs); the open detail page shows the phase track and the
 * evaluation card, and the base-vs-fine-tuned comparison (McNemar) opens by itself once, and again from the card.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEvalRun } from '../../src/main/evals/eval-store';
import { getEvaluation, listPhases } from '../../src/main/finetunes/finetune-state-store';
import type { RegisteredModel } from '../../src/shared/eval-types';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { copyPetsSpread } from '../fixtures/real-photos';
import { insertDoneFinetuneJob, registerFinetunedCopy, seededExportDir, seededSpec, seedPhases } from '../fixtures/finetune-eval-seed';
import { seedPets, type SeededPets } from './support/eval-setup';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const JOB = 'ft-loop';

describe('fine-tune evaluation loop (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  let base: RegisteredModel;
  let finetuned: RegisteredModel;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `finetune-eval-${name}.png`) });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-ft-eval-e2e-'));
    copyPetsSpread(join(tmp, 'pets'), 4);
    studio = await launchStudio({ workspaceDir: join(tmp, 'ws'), viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'pets'));
    base = (await seeded.call('models:register', { path: ensureTinyVlm('lfm2-vl', 1), name: 'tiny-lfm2' })) as RegisteredModel;
    const { db, root } = studio.core.workspace;
    const spec = seededSpec(base.id, seeded.version.id, { mode: 'constrained' });
    finetuned = await registerFinetunedCopy(db, base, spec, JOB, seededExportDir(root, JOB), 21);
    insertDoneFinetuneJob(db, JOB, spec, finetuned);
    // A local run: no upload or download phase.
    seedPhases(db, JOB, ['queued', 'running', 'registering']);
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the detail page shows the phase track with times and the evaluation card before evaluation', async () => {
    const { page } = studio;
    await page.getByTestId('section-finetunes').click();
    await page.locator(`[data-testid="finetune-row"][data-job-id="${JOB}"]`).getByTestId('finetune-open').click();
    const track = page.getByTestId('state-track');
    await track.waitFor();
    // Before the done event reaches the evaluator, the job row's own end is all there is to show.
    expect(await track.getAttribute('data-phase')).toBe('done');
    for (const phase of ['queued', 'running', 'registering']) expect(await track.locator(`[data-state="${phase}"]`).getAttribute('data-reached')).toBe('true');
    expect(await page.getByTestId('phase-time-running').textContent()).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    expect(await page.getByTestId('phase-time-uploading').textContent()).toBe('skipped');
    expect(await page.getByTestId('phase-time-evaluating').textContent()).toBe('—');
    expect(await page.getByTestId('ft-evaluation').getAttribute('data-state')).toBe('none');
    expect(await page.getByTestId('ft-open-comparison').isDisabled()).toBe(true);
  });

  it('the done event evaluates base and fine-tune; the comparison with McNemar opens by itself', async () => {
    const { page, core } = studio;
    const card = page.getByTestId('ft-evaluation');
    // What the JobManager emits when the finetune job settles done.
    core.bus.emit('jobs:changed', core.jobs.get(JOB));
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 20_000 }).toMatch(/baseline|finetuned|done/);
    await expect.poll(() => page.getByTestId('state-track').getAttribute('data-phase').catch(() => 'gone')).toMatch(/evaluating|done|gone/);
    if ((await page.getByTestId('finetune-detail').count()) === 1) await shot('01-evaluating');

    const compare = page.getByTestId('compare-view');
    await compare.waitFor({ timeout: 120_000 });
    await core.finetuneEvals.settled(JOB);
    const ev = getEvaluation(core.workspace.db, JOB)!;
    expect(ev).toMatchObject({ state: 'done', error: null });
    const a = getEvalRun(core.workspace.db, ev.baselineRunId!);
    const b = getEvalRun(core.workspace.db, ev.finetunedRunId!);
    expect([a.modelId, b.modelId]).toEqual([base.id, finetuned.id]);
    await page.getByTestId('mcnemar').waitFor();
    expect(await page.getByTestId('mcnemar').textContent()).toMatch(/McNemar exact test: p [=<] [\d.]+/);
    expect(await page.getByTestId('compare-side-a').textContent()).toContain(a.name);
    expect(await page.getByTestId('compare-side-b').textContent()).toContain(b.name);
    const cmp = await core.handlers['evals:compare']({ aId: a.id, bId: b.id });
    expect(cmp.shared).toBe(a.plannedCount);
    expect(await page.getByTestId('agree-both-correct').textContent()).toContain(String(cmp.bothCorrect));
    await shot('02-comparison');
    expect(listPhases(core.workspace.db, JOB).map((p) => p.phase)).toEqual(['queued', 'running', 'registering', 'evaluating', 'done']);
  });

  it('back on the detail page: the track ends done, the card shows both runs side by side and reopens the comparison on demand only', async () => {
    const { page, core } = studio;
    await page.getByTestId('section-finetunes').click();
    const card = page.getByTestId('ft-evaluation');
    await expect.poll(() => card.getAttribute('data-state')).toBe('done');
    expect(await page.getByTestId('state-track').getAttribute('data-phase')).toBe('done');
    expect(await page.getByTestId('phase-time-evaluating').textContent()).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    const ev = getEvaluation(core.workspace.db, JOB)!;
    const a = getEvalRun(core.workspace.db, ev.baselineRunId!);
    const b = getEvalRun(core.workspace.db, ev.finetunedRunId!);
    const pctOf = (x: number) => `${(x * 100).toFixed(1)}%`;
    await expect.poll(() => page.getByTestId('ft-eval-baseline-accuracy').textContent()).toContain(pctOf(a.metrics!.accuracy));
    expect(await page.getByTestId('ft-eval-baseline-balanced').textContent()).toContain(pctOf(a.metrics!.balancedAccuracy));
    expect(await page.getByTestId('ft-eval-finetuned-accuracy').textContent()).toContain(pctOf(b.metrics!.accuracy));
    expect(await page.getByTestId('ft-eval-finetuned-balanced').textContent()).toContain(pctOf(b.metrics!.balancedAccuracy));
    expect(await page.getByTestId('ft-eval-baseline').getAttribute('data-status')).toBe('done');
    expect(await page.getByTestId('ft-eval-finetuned').getAttribute('data-status')).toBe('done');
    await page.getByTestId('ft-evaluation').scrollIntoViewIfNeeded();
    await shot('03-evaluation-card');
    // Once: the finished evaluation does not reopen the comparison when the page is shown again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.getByTestId('finetune-detail').count()).toBe(1);
    await page.getByTestId('ft-open-comparison').click();
    await page.getByTestId('compare-view').waitFor();
    await page.getByTestId('mcnemar').waitFor();
    expect(studio.pageErrors).toEqual([]);
  });
});
