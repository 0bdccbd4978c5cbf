/**
 * Open label sets as a user drives them (browser host + headless chromium at 1280×720): the real stanford-cars-6-makes
 * folder is imported, split and snapshotted through the UI, then a tiny random-weight LFM2-VL is offered the 49 car
 * makers of the reference walkthrough (constrained, then scored with "unknown" as abstain); the dashboard shows the
 * predicted makers outside the 6 makes as their own confusion-matrix columns, and coverage next to accuracy.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../src/main/api/dispatch';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { asset } from '../support/assets';
import { CAR_MAKERS_49, SIX_MAKES } from '../support/car-makers';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const CARS = asset('datasets', 'stanford-cars-6-makes');
const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
/** The walkthrough's prompt list, pasted as is ("- AM" lines). */
const PASTED_MAKERS = CAR_MAKERS_49.map((m) => `- ${m}`).join('\n');
const N = 8;

describe('open label sets: 49 car makers offered for a 6-make test set (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let call: Dispatch;
  let tiny: RegisteredModel;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `open-labels-${name}.png`) });
  const getRun = async (runId: number) => (await call('evals:get', { runId })) as EvalRun;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-open-labels-e2e-'));
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 } });
    call = createDispatcher(studio.core.handlers);
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('imports the stanford-cars-6-makes folder (a folder per make), splits and snapshots it', async () => {
    const { page } = studio;
    await page.getByTestId('welcome-empty').waitFor();
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-source').fill(CARS);
    await page.getByTestId('import-format').selectOption('imagefolder');
    await page.getByTestId('import-name').fill('cars');
    await page.getByTestId('import-start').click();
    await page.getByTestId('job-view-report').waitFor({ timeout: 300_000 });
    const db = studio.core.workspace.db;
    const classes = db.prepare('SELECT name FROM classes ORDER BY name').pluck(true).all() as string[];
    expect(classes).toEqual([...SIX_MAKES]);
    expect(db.prepare("SELECT COUNT(*) FROM samples WHERE status = 'active'").pluck(true).get()).toBe(360);

    await page.getByTestId('split-open').click();
    await page.getByTestId('split-preset-80-10-10').check();
    await page.getByTestId('split-apply').click();
    await page.getByTestId('split-result').waitFor();
    await page.getByTestId('split-close').click();
    await page.getByTestId('snapshot-open').click();
    await page.getByTestId('snapshot-name').fill('v1');
    await page.getByTestId('snapshot-create').click();
    await page.locator('[data-testid="version-item"]', { hasText: 'v1' }).waitFor();
    tiny = (await call('models:register', { path: ensureTinyVlm('lfm2-vl'), name: 'tiny lfm2-vl' })) as RegisteredModel;
  });

  async function newEval(mode: 'constrained' | 'scored', name: string, extra: string, abstain: string | null) {
    const { page } = studio;
    await page.getByTestId('section-evals').click();
    if ((await page.getByTestId('runs-back').count()) > 0) await page.getByTestId('runs-back').click();
    await page.getByTestId('eval-new-open').click();
    await page.getByTestId('eval-model').selectOption(String(tiny.id));
    await page.getByTestId(`eval-mode-${mode}`).check();
    await page.getByTestId('eval-split').selectOption('test');
    await page.getByTestId('eval-n').fill(String(N));
    await page.getByTestId('eval-name').fill(name);
    // The snapshot's classes are shown locked in; the abstain pick needs an extra candidate first. The form remembers
    // the last eval's candidates (the dataset's remembered settings), so a second eval starts with them filled in.
    expect(await page.getByTestId('eval-candidate-class').allTextContents()).toEqual([...SIX_MAKES]);
    const remembered = await page.getByTestId('eval-candidates').inputValue();
    expect(await page.getByTestId('eval-abstain').isDisabled()).toBe(remembered.trim() === '');
    await page.getByTestId('eval-candidates').fill('');
    expect(await page.getByTestId('eval-abstain').isDisabled()).toBe(true);
    await page.getByTestId('eval-candidates').fill(extra);
    if (abstain !== null) await page.getByTestId('eval-abstain').selectOption(abstain);
  }

  async function finishedRun(): Promise<EvalRun> {
    const dashboard = studio.page.getByTestId('run-dashboard');
    await expect.poll(() => dashboard.getAttribute('data-status'), { timeout: 300_000, interval: 500 }).toBe('done');
    return getRun(Number(await dashboard.getAttribute('data-run-id')));
  }

  /** The UI's extra columns are exactly the metrics' predicted non-truth candidates, and the cells sum to n. */
  async function expectExtraColumns(run: EvalRun): Promise<string[]> {
    const { page } = studio;
    const m = run.metrics;
    if (m === null) throw new Error(`run ${run.id} has no metrics`);
    expect(m.confusion.rows).toEqual([...SIX_MAKES]);
    const extras = m.confusion.columns.slice(SIX_MAKES.length, -1);
    expect(extras.length).toBeGreaterThan(0);
    for (const e of extras) expect([...CAR_MAKERS_49, 'unknown']).toContain(e);
    const shown = await page.getByTestId('matrix-extra-col').allTextContents();
    expect(shown.map((t) => t.replace(' (abstain)', ''))).toEqual(extras);
    const cells = await page.getByTestId('matrix-cell').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(N);
    expect(await page.getByTestId('open-labels-note').textContent()).toContain(`${run.labels.length} candidate labels offered for 6 classes`);
    return extras;
  }

  /** Scrolls the matrix (page and its own horizontal overflow) so its first extra column is in view. */
  async function showExtraColumns() {
    await studio.page.getByTestId('matrix-extra-col').first().scrollIntoViewIfNeeded();
  }

  it('constrained: the 49 makers pasted from the walkthrough are the candidates; extra makers get their own columns', async () => {
    const { page } = studio;
    await newEval('constrained', 'tiny constrained · 49 makers', PASTED_MAKERS, null);
    await expect.poll(() => page.getByTestId('eval-candidates-summary').textContent()).toContain('49 candidates: 6 classes + 43 more');
    await expect.poll(() => page.getByTestId('eval-prompt-preview').textContent()).toContain('- Mercedes-Benz\n- Mitsubishi');
    await page.getByTestId('eval-candidates-field').scrollIntoViewIfNeeded();
    await shot('01-new-eval-49-candidates');
    await page.getByTestId('eval-start').click();
    const run = await finishedRun();
    expect(run.labels).toEqual([...CAR_MAKERS_49]);
    expect(run.truthLabels).toEqual([...SIX_MAKES]);
    expect(run.abstainLabel).toBeNull();
    expect(run.metrics?.offLabelCount).toBe(0);
    await expectExtraColumns(run);
    expect(await page.getByTestId('metric-coverage').count()).toBe(0);
    await showExtraColumns();
    await shot('02-constrained-matrix');
  });

  it('scored with "unknown" as abstain: 50 probabilities per row, coverage and accuracy-on-answered cards', async () => {
    const { page } = studio;
    await newEval('scored', 'tiny scored · 49 makers + unknown', `${PASTED_MAKERS}\n- unknown`, 'unknown');
    await expect.poll(() => page.getByTestId('eval-candidates-summary').textContent()).toContain('50 candidates: 6 classes + 44 more');
    await page.getByTestId('eval-abstain').scrollIntoViewIfNeeded();
    await shot('03-new-eval-abstain');
    await page.getByTestId('eval-start').click();
    const run = await finishedRun();
    expect(run).toMatchObject({ abstainLabel: 'unknown', truthLabels: [...SIX_MAKES] });
    expect(run.labels).toHaveLength(50);
    const rows = studio.core.workspace.db.prepare('SELECT probabilities_json FROM eval_samples WHERE run_id = ?').pluck(true).all(run.id) as string[];
    for (const r of rows) expect((JSON.parse(r) as number[]).length).toBe(50);
    await expectExtraColumns(run);
    const a = run.metrics?.abstain;
    expect(a?.label).toBe('unknown');
    expect(Number(await page.getByTestId('metric-coverage').getAttribute('data-value'))).toBeCloseTo(a?.coverage ?? -1, 10);
    const onAnswered = await page.getByTestId('metric-accuracy-answered').getAttribute('data-value');
    if (a?.accuracyOnAnswered === null) expect(onAnswered).toBe('');
    else expect(Number(onAnswered)).toBeCloseTo(a?.accuracyOnAnswered ?? -1, 10);
    await shot('04-scored-cards');
    await showExtraColumns();
    await shot('05-scored-matrix');
  });
});
