/** State of the New eval form: the dataset's versions, models, devices, prompt history, and the choices made so far. */
import { useEffect, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { DatasetVersion } from '../../../shared/domain';
import { EVAL_MODES, type EvalDevice, type EvalMode, type EvalSplit, type RegisteredModel } from '../../../shared/eval-types';
import type { PromptHistoryEntry } from '../../../shared/eval-views';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../../shared/prompt-template';
import type { PromptVersion } from '../../../shared/prompt-types';
import { usePromptVersions } from '../prompts/use-prompts';
import { settingsFromRun, type EvalFormSettings } from '../../../shared/eval-form-settings';
import { useModels, type DeviceStatus } from '../models/use-models';
import { queryKeys } from '../data/query-keys';
import { useDraft } from '../state/drafts';
import { useStudio } from '../state/studio-context';

const NO_HISTORY: PromptHistoryEntry[] = [];

export interface NewEvalChoices {
  name: string;
  versionId: number | null;
  split: EvalSplit;
  modelId: number | null;
  mode: EvalMode;
  classMapping: string;
  device: EvalDevice;
  dtype: string;
  seed: string;
  nSamples: string;
  systemPrompt: string;
  userPrompt: string;
  /** Extra candidate labels, one per line (open label sets); '' = the snapshot's classes only. */
  extraCandidates: string;
  /** One of the extra candidates meaning "declined"; '' = none. */
  abstainLabel: string;
  /** The saved prompt version the text came from (kept when edited: the form shows "edited since"). */
  promptVersionId: number | null;
  /** Where the choices came from: 'pending' until the run (rerun) or the remembered settings were applied once. */
  origin: 'pending' | 'defaults' | 'remembered' | 'run';
}

const INITIAL: NewEvalChoices = {
  name: '',
  versionId: null,
  split: 'test',
  modelId: null,
  mode: 'raw',
  classMapping: '',
  device: 'cpu',
  dtype: '',
  seed: '23',
  nSamples: '',
  systemPrompt: DEFAULT_SYSTEM_PROMPT,
  userPrompt: DEFAULT_USER_PROMPT,
  extraCandidates: '',
  abstainLabel: '',
  promptVersionId: null,
  origin: 'pending',
};

/** The form's choices as the settings main remembers per dataset. */
export function choicesToSettings(c: NewEvalChoices): EvalFormSettings {
  const { versionId, split, modelId, mode, classMapping, device, dtype, seed, nSamples, promptVersionId, systemPrompt, userPrompt, extraCandidates, abstainLabel } = c;
  return { versionId, split, modelId, mode, classMapping, device, dtype, seed, nSamples, promptVersionId, systemPrompt, userPrompt, extraCandidates, abstainLabel };
}

/** A mode the model can run: classifiers only run 'classifier', VLMs every other mode. */
export function modeAllowed(model: RegisteredModel | undefined, mode: EvalMode): boolean {
  if (!model) return true;
  return model.kind === 'onnx-classifier' ? mode === 'classifier' : mode !== 'classifier';
}

export interface NewEvalState {
  choices: NewEvalChoices;
  set: (patch: Partial<NewEvalChoices>) => void;
  versions: DatasetVersion[];
  models: RegisteredModel[];
  devices: DeviceStatus[];
  history: PromptHistoryEntry[];
  /** Every prompt version (the picker), saved first. */
  promptVersions: PromptVersion[];
  loaded: boolean;
  version: DatasetVersion | undefined;
  model: RegisteredModel | undefined;
  suggestedName: string;
  /** Forgets the draft (after the eval started). */
  discard: () => void;
}

/** fromRunId: "Rerun with changes" — the form opens with that run's configuration instead of the remembered settings. */
export function useNewEval(datasetId: number, fromRunId?: number): NewEvalState {
  const { api } = useStudio();
  const { models, devices, loaded: modelsLoaded } = useModels();
  const versionsQuery = useQuery({
    queryKey: queryKeys.versions(datasetId),
    queryFn: async () => [...(await api.versions.list({ datasetId }))].sort((a, b) => a.id - b.id),
    meta: { errorContext: 'Loading versions' },
  });
  const historyQuery = useQuery({
    queryKey: queryKeys.prompts(datasetId),
    queryFn: () => api.evals.prompts({ datasetId }),
    meta: { errorContext: 'Loading prompt history' },
  });
  const versions = useMemo(() => [...(versionsQuery.data ?? [])].reverse(), [versionsQuery.data]);
  const history = historyQuery.data ?? NO_HISTORY;
  const promptVersions = usePromptVersions();
  // Kept per dataset above the screens: a visit to Models (to add the model) does not lose the prompt being written.
  const [choices, set, discard] = useDraft<NewEvalChoices>(fromRunId === undefined ? `new-eval:${datasetId}` : `rerun:${fromRunId}`, INITIAL);
  const rememberedQuery = useQuery({
    queryKey: ['evals', 'form-settings', datasetId],
    queryFn: () => api.prompts.formSettings({ datasetId }),
    enabled: fromRunId === undefined && choices.origin === 'pending',
    meta: { errorContext: 'Loading the last eval settings' },
  });
  const runQuery = useQuery({
    queryKey: queryKeys.evalRun(fromRunId ?? 0),
    queryFn: () => api.evals.get({ runId: fromRunId ?? 0 }),
    enabled: fromRunId !== undefined,
    meta: { errorContext: 'Loading the run to rerun' },
  });

  const version = versions.find((v) => v.id === choices.versionId);
  const model = models.find((m) => m.id === choices.modelId);

  // Once the lists are known (remembered settings read fresh: a cached answer may predate the last start): the run's configuration (rerun), else the dataset's remembered settings, else the defaults.
  const listsLoaded = modelsLoaded && versionsQuery.isFetched;
  const source: EvalFormSettings | null | undefined = fromRunId !== undefined ? (runQuery.data ? settingsFromRun(runQuery.data) : undefined) : rememberedQuery.isFetchedAfterMount ? (rememberedQuery.data ?? null) : undefined;
  useEffect(() => {
    if (choices.origin !== 'pending' || !listsLoaded || source === undefined) return;
    if (source === null) {
      set({ origin: 'defaults' });
      return;
    }
    const known = <T extends { id: number }>(list: readonly T[], id: number | null) => (id !== null && list.some((x) => x.id === id) ? id : null);
    set({ ...source, versionId: known(versions, source.versionId), modelId: known(models, source.modelId), origin: fromRunId !== undefined ? 'run' : 'remembered' });
  }, [choices.origin, listsLoaded, source, versions, models, fromRunId, set]);

  // Default to the newest version (its test split when it has one) and the first model; keep mode and dtype valid for the model.
  const newest = versions[0];
  useEffect(() => {
    if (choices.versionId === null && newest) set({ versionId: newest.id, split: newest.splitCounts.test > 0 ? 'test' : 'all' });
  }, [newest, choices.versionId, set]);
  useEffect(() => {
    if (choices.modelId === null && models.length > 0) set({ modelId: models[models.length - 1].id });
  }, [models, choices.modelId, set]);
  useEffect(() => {
    if (!model) return;
    const patch: Partial<NewEvalChoices> = {};
    if (!modeAllowed(model, choices.mode)) patch.mode = EVAL_MODES.find((m) => modeAllowed(model, m)) ?? 'raw';
    if (!model.dtypes.includes(choices.dtype)) patch.dtype = model.defaultDtype ?? model.dtypes[0] ?? '';
    if (Object.keys(patch).length > 0) set(patch);
  }, [model, choices.mode, choices.dtype, set]);

  const suggestedName = useMemo(() => {
    if (!model || !version) return '';
    return `${model.name} · ${choices.mode} · ${version.name}/${choices.split}`;
  }, [model, version, choices.mode, choices.split]);

  return { choices, set, versions, models, devices, history, promptVersions, loaded: modelsLoaded && versionsQuery.isFetched, version, model, suggestedName, discard };
}
