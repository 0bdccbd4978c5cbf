/** The prompt-lab parts of the New eval form: the version picker above the prompt, quick try below it, and the create request's prompt fields. */
import type { EvalRun } from '../../../shared/eval-types';
import type { PromptVersion } from '../../../shared/prompt-types';
import type { NewEvalChoices } from '../evals/use-new-eval';
import { useEvalRuns } from '../evals/use-eval-runs';
import { PromptVersionBar } from './prompt-version-bar';
import { effectiveVersionId } from './prompt-link';

export { promptRequest } from './prompt-link';
import { QuickTry } from './quick-try';
import '../styles/prompts.css';

type SetChoices = (patch: Partial<NewEvalChoices>) => void;

export function PromptVersionPicker({ choices: c, set, versions }: { choices: NewEvalChoices; set: SetChoices; versions: PromptVersion[] }) {
  const load = (v: PromptVersion) => set({ promptVersionId: v.id, systemPrompt: v.systemPrompt, userPrompt: v.expandedUserPrompt });
  return <PromptVersionBar versions={versions} linkedId={effectiveVersionId(c, versions)} systemPrompt={c.systemPrompt} userPrompt={c.userPrompt} onPick={load} onSaved={load} />;
}

interface ExtrasProps {
  datasetId: number;
  choices: NewEvalChoices;
  versionId: number;
  modelId: number;
  dtype: string | null;
  seedOk: boolean;
}

/** Newest finished run on this snapshot that got something wrong. */
function lastRunWithMistakes(runs: readonly EvalRun[], versionId: number): EvalRun | null {
  return runs.find((r) => r.versionId === versionId && r.mode !== 'classifier' && r.status === 'done' && (r.metrics?.accuracy ?? 1) < 1) ?? null;
}

export function EvalPromptExtras({ datasetId, choices: c, versionId, modelId, dtype, seedOk }: ExtrasProps) {
  const { runs } = useEvalRuns(datasetId);
  if (c.mode === 'classifier' || !seedOk) return null;
  return (
    <QuickTry
      versionId={versionId}
      modelId={modelId}
      mode={c.mode}
      device={c.device}
      dtype={dtype}
      split={c.split}
      seed={Number(c.seed)}
      systemPrompt={c.systemPrompt}
      userPrompt={c.userPrompt}
      mistakesRun={lastRunWithMistakes(runs, versionId)}
    />
  );
}
