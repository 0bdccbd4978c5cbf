/** Quick try inside the prompt editor: pick a VLM and a mode, try the draft on the dataset's newest snapshot before saving the version. */
import { useState } from 'react';
import type { EvalRun } from '../../../shared/eval-types';
import { useEvalRuns } from '../evals/use-eval-runs';
import { useModels } from '../models/use-models';
import { useDatasetMeta } from '../state/use-dataset-meta';
import { QuickTry } from './quick-try';

interface EditorQuickTryProps {
  datasetId: number;
  systemPrompt: string;
  /** The template with its label descriptions already expanded ({{labels}} stays). */
  userPrompt: string;
}

type TryMode = 'raw' | 'constrained' | 'scored';

export function EditorQuickTry({ datasetId, systemPrompt, userPrompt }: EditorQuickTryProps) {
  const { models } = useModels();
  const { versions } = useDatasetMeta(datasetId);
  const { runs } = useEvalRuns(datasetId);
  const vlms = models.filter((m) => m.kind === 'vlm');
  const [modelId, setModelId] = useState<number | null>(null);
  const [mode, setMode] = useState<TryMode>('raw');
  const snapshot = versions.at(-1);
  const model = vlms.find((m) => m.id === modelId) ?? vlms.at(-1);
  if (!snapshot || !model) {
    return <p className="muted small quick-try">Quick try needs a snapshot of this dataset and a registered vision-language model.</p>;
  }
  const split = snapshot.splitCounts.test > 0 ? 'test' : 'all';
  const mistakesRun: EvalRun | null = runs.find((r) => r.versionId === snapshot.id && r.mode !== 'classifier' && r.status === 'done' && (r.metrics?.accuracy ?? 1) < 1) ?? null;
  return (
    <div className="editor-quick-try">
      <div className="quick-try-controls">
        <span className="muted small">Try with</span>
        <select data-testid="editor-try-model" value={model.id} onChange={(e) => setModelId(Number(e.target.value))} aria-label="Model">
          {vlms.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        <select data-testid="editor-try-mode" value={mode} onChange={(e) => setMode(e.target.value as TryMode)} aria-label="Mode">
          <option value="raw">raw</option>
          <option value="constrained">constrained</option>
          <option value="scored">scored</option>
        </select>
        <span className="muted small">on {snapshot.name}</span>
      </div>
      <QuickTry
        versionId={snapshot.id}
        modelId={model.id}
        mode={mode}
        device="cpu"
        dtype={null}
        split={split}
        seed={0}
        systemPrompt={systemPrompt}
        userPrompt={userPrompt}
        mistakesRun={mistakesRun}
      />
    </div>
  );
}
