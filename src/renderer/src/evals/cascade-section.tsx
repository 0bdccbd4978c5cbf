/** Run dashboard section of a cascade run: stage 1 alone, its top-k recall (the ceiling), stage 2 alone and the cascade, on the same samples. */
import { useState } from 'react';
import type { CascadeArm } from '../../../shared/cascade-types';
import type { EvalRun } from '../../../shared/eval-types';
import { useStudio } from '../state/studio-context';
import { ms, pct } from './eval-format';
import { useCascadeReport } from './use-cascade-report';

interface CascadeSectionProps {
  run: EvalRun;
  onCompare?: (aId: number, bId: number) => void;
  onJobStarted?: (jobId: string) => void;
}

function ArmRow({ id, name, arm, latency, note }: { id: string; name: string; arm: CascadeArm | null; latency: number | null; note?: string }) {
  return (
    <tr data-testid={`cascade-row-${id}`} data-accuracy={arm?.accuracy ?? ''}>
      <td>
        {name}
        {note ? <div className="hint">{note}</div> : null}
      </td>
      <td className="num">{arm ? pct(arm.accuracy) : '—'}</td>
      <td className="num">{arm ? `${arm.correct} / ${arm.n}` : '—'}</td>
      <td className="num">{ms(latency)}</td>
    </tr>
  );
}

export function CascadeSection({ run, onCompare, onJobStarted }: CascadeSectionProps) {
  const { api, reportError, showToast } = useStudio();
  const [stage2RunId, setStage2RunId] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);
  const rep = useCascadeReport(run.id, stage2RunId, run.cascade !== null);
  if (run.cascade === null) return null;
  if (!rep) return <section className="panel-card muted">Loading the cascade report…</section>;

  // Stage 2 alone: the same VLM, mode, prompt and plan, over all labels and without the classifier.
  const startStage2 = async () => {
    setStarting(true);
    try {
      const { run: sibling, jobId } = await api.evals.create({
        name: `${run.name} · stage 2 alone`,
        versionId: run.versionId,
        split: run.split,
        modelId: run.modelId ?? 0,
        mode: run.mode,
        systemPrompt: run.systemPrompt,
        userPrompt: run.userPrompt,
        seed: run.seed,
        nSamples: run.nSamples,
        device: run.device,
        dtype: run.dtype,
      });
      onJobStarted?.(jobId);
      setStage2RunId(sibling.id);
      showToast(`Started ${sibling.name}`);
    } catch (error) {
      reportError('Starting the stage-2-alone run', error);
    } finally {
      setStarting(false);
    }
  };

  const s2 = rep.stage2;
  return (
    <section className="panel-card cascade-section" data-testid="cascade-section">
      <h3>Cascade: {rep.classifierName} proposes its top {rep.k}, the VLM chooses among them</h3>
      <p className="muted small">
        Mapping “{rep.mappingName}” covers {rep.mappedLabels} of the {rep.totalLabels} candidate labels (the classifier can never propose the others).
        All rows below are on the same {rep.shared} samples{s2 ? ` (finished in both runs)` : ''}.
      </p>
      <table className="plain-table cascade-table" data-testid="cascade-table">
        <thead>
          <tr>
            <th>Arm</th>
            <th className="num">Accuracy</th>
            <th className="num">Correct</th>
            <th className="num">p50 latency</th>
          </tr>
        </thead>
        <tbody>
          <ArmRow id="stage1" name={`Stage 1 alone: ${rep.classifierName} top-1 (mapped)`} arm={rep.stage1} latency={rep.stage1P50Ms} />
          <tr data-testid="cascade-row-recall" data-recall={rep.topKRecall.recall ?? ''}>
            <td>
              Top-{rep.k} recall of stage 1<div className="hint">How often the truth is among the {rep.k} proposals: the cascade&apos;s ceiling.</div>
            </td>
            <td className="num">{pct(rep.topKRecall.recall)}</td>
            <td className="num">
              {rep.topKRecall.hits} / {rep.topKRecall.n}
            </td>
            <td className="num">—</td>
          </tr>
          <ArmRow
            id="stage2"
            name={s2 ? `Stage 2 alone: ${s2.runName} (run ${s2.runId})` : 'Stage 2 alone: the VLM over all labels'}
            arm={s2}
            latency={s2?.p50LatencyMs ?? null}
            note={s2 ? undefined : 'No run of this VLM over the same samples yet.'}
          />
          <ArmRow
            id="cascade"
            name="Cascade (this run)"
            arm={rep.cascade}
            latency={rep.cascade.p50LatencyMs}
            note={`stage 1 ${ms(rep.stage1P50Ms)} + stage 2 ${ms(rep.stage2P50Ms)} (p50); ${pct(rep.cascadeGivenRecall)} right when the truth was proposed`}
          />
        </tbody>
      </table>
      <div className="cascade-actions">
        {rep.siblings.length > 0 ? (
          <label>
            Stage 2 alone from{' '}
            <select data-testid="cascade-stage2-pick" value={s2?.runId ?? ''} onChange={(e) => setStage2RunId(Number(e.target.value))}>
              {rep.siblings.map((s) => (
                <option key={s.id} value={s.id}>
                  #{s.id} {s.name} ({s.mode}, {s.status})
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" data-testid="cascade-start-stage2" disabled={starting || run.modelId === null} onClick={() => void startStage2()}>
          {starting ? 'Starting…' : 'Run stage 2 alone on the same samples'}
        </button>
        {s2 && onCompare ? (
          <button type="button" data-testid="cascade-compare" onClick={() => onCompare(s2.runId, run.id)}>
            Compare flips with stage 2 alone
          </button>
        ) : null}
      </div>
    </section>
  );
}
