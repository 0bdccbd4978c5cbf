/** Robustness of a snapshot: derive its corrupted test splits (a job), evaluate a finished test-split run on all of them, read accuracy per corruption × severity. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { CORRUPTIONS, CORRUPTION_LABELS, CORRUPTION_SEVERITIES } from '../../../shared/robustness-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { RobustnessTable } from './robustness-table';
import { useEvalRuns } from './use-eval-runs';
import { useLiveDeriveJob, useRobustnessReport, useSnapshots } from './use-robustness';

export interface RobustnessViewProps {
  datasetId: number;
  onBack: () => void;
  onJobStarted: (jobId: string) => void;
  onOpenRun: (runId: number) => void;
}

const VARIANT_COUNT = CORRUPTIONS.reduce((n, c) => n + CORRUPTION_SEVERITIES[c].length, 0);
const VARIANTS = CORRUPTIONS.map((c) => `${c} (${CORRUPTION_SEVERITIES[c].map((p) => CORRUPTION_LABELS[c](p).replace(/^\S+ /, '')).join(', ')})`).join('; ');

export function RobustnessView({ datasetId, onBack, onJobStarted, onOpenRun }: RobustnessViewProps) {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const snapshots = useSnapshots(datasetId);
  const [picked, setPicked] = useState<number | null>(null);
  const versionId = picked ?? snapshots?.at(-1)?.id ?? null;
  const version = snapshots?.find((v) => v.id === versionId) ?? null;
  const report = useRobustnessReport(versionId);
  const deriveJob = useLiveDeriveJob();
  const { runs } = useEvalRuns(datasetId);
  const templates = runs.filter((r) => r.versionId === versionId && r.split === 'test' && r.status === 'done');
  const [templateId, setTemplateId] = useState<number | null>(null);
  const template = templates.find((r) => r.id === templateId) ?? templates[0] ?? null;
  const derived = report?.derived ?? [];

  const derive = async () => {
    if (versionId === null) return;
    try {
      const { jobId } = await api.robustness.derive({ versionId });
      onJobStarted(jobId);
    } catch (error) {
      reportError('Deriving robustness splits', error);
    }
  };
  const evaluate = async () => {
    if (template === null) return;
    try {
      const { runIds, jobIds } = await api.robustness.evaluate({ templateRunId: template.id });
      for (const jobId of jobIds) onJobStarted(jobId);
      showToast(`${runIds.length} robustness runs of ${template.name}; ${jobIds.length} started`);
    } catch (error) {
      reportError('Evaluating on the robustness splits', error);
    }
    await client.invalidateQueries({ queryKey: queryKeys.evals });
  };

  return (
    <div className="robustness-view" data-testid="robustness-view">
      <header className="page-header">
        <div>
          <h1>Robustness</h1>
          <span className="muted">Accuracy on a snapshot’s test split under blur, noise, JPEG compression and downscaling.</span>
        </div>
        <button type="button" onClick={onBack}>
          Back to runs
        </button>
      </header>
      <div className="page-body robustness-body">
        <section className="panel-card robustness-controls">
          <label className="robustness-field">
            Snapshot{' '}
            <select data-testid="robustness-version" value={versionId ?? ''} onChange={(e) => setPicked(Number(e.target.value))}>
              {(snapshots ?? []).map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name} (test {v.splitCounts.test})
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" data-testid="robustness-derive" disabled={versionId === null || deriveJob !== null || (version?.splitCounts.test ?? 0) === 0 || derived.length >= VARIANT_COUNT} onClick={() => void derive()}>
            {derived.length >= VARIANT_COUNT ? `All ${VARIANT_COUNT} splits derived` : derived.length > 0 ? 'Derive missing splits' : 'Derive robustness splits'}
          </button>
          <span className="muted small" data-testid="robustness-derive-status">
            {deriveJob
              ? `${deriveJob.message || 'Starting…'} (${Math.round(deriveJob.value * 100)}%)`
              : version && version.splitCounts.test === 0
                ? `“${version.name}” has no test split`
                : `${derived.length} derived splits · ${VARIANTS}`}
          </span>
        </section>
        {derived.length > 0 ? (
          <section className="panel-card robustness-controls">
            <label className="robustness-field">
              Evaluate like{' '}
              <select data-testid="robustness-template" value={template?.id ?? ''} onChange={(e) => setTemplateId(Number(e.target.value))} disabled={templates.length === 0}>
                {templates.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} — {r.config.modelName}, {r.mode}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="primary" data-testid="robustness-evaluate" disabled={template === null} onClick={() => void evaluate()}>
              Evaluate on all {derived.length} splits
            </button>
            <span className="muted small">
              {templates.length === 0 ? 'Finish an eval on this snapshot’s test split first: its model, prompt and seed are reused.' : 'Same model, mode, prompt, seed and sample count as the picked run.'}
            </span>
          </section>
        ) : null}
        {(report?.rows ?? []).map((row) => (
          <RobustnessTable key={row.templateRunId} row={row} templateName={runs.find((r) => r.id === row.templateRunId)?.name ?? `#${row.templateRunId}`} derived={derived} onOpenRun={onOpenRun} />
        ))}
      </div>
    </div>
  );
}
