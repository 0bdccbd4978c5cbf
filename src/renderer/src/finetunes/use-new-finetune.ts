/** The New fine-tune form's data: models, the dataset's snapshots and done eval runs, the remembered form, and the debounced finetunes:validate answer. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { DatasetVersion } from '../../../shared/domain';
import type { EvalRun, RegisteredModel } from '../../../shared/eval-types';
import type { PromptHistoryEntry } from '../../../shared/eval-views';
import type { FinetuneValidation } from '../../../shared/finetune-types';
import { queryKeys } from '../data/query-keys';
import { useModels } from '../models/use-models';
import { useStudio } from '../state/studio-context';
import { baseKindProblem, formToSpec, initialForm, specForValidation, type FieldErrors, type NewFinetuneForm } from './new-finetune-state';

const NO_RUNS: EvalRun[] = [];
const NO_HISTORY: PromptHistoryEntry[] = [];
const NO_VERSIONS: DatasetVersion[] = [];
/** Validation waits this long after the last keystroke. */
export const VALIDATE_DEBOUNCE_MS = 400;

const storageKey = (datasetId: number) => `vcs:new-finetune:${datasetId}`;

/** The last settings used on this dataset (localStorage: survives a reload), else the defaults. */
function loadForm(datasetId: number): NewFinetuneForm {
  try {
    const raw = window.localStorage.getItem(storageKey(datasetId));
    if (raw) {
      const saved = JSON.parse(raw) as Partial<NewFinetuneForm>;
      const init = initialForm();
      return { ...init, ...saved, hp: { ...init.hp, ...saved.hp } };
    }
  } catch {
    // A corrupt or unavailable store only loses the remembered settings.
  }
  return initialForm();
}

/** Like useState for the form, remembered per dataset. */
function useRememberedForm(datasetId: number): [NewFinetuneForm, (patch: Partial<NewFinetuneForm>) => void] {
  const [state, setState] = useState(() => ({ datasetId, form: loadForm(datasetId) }));
  if (state.datasetId !== datasetId) setState({ datasetId, form: loadForm(datasetId) });
  const set = useCallback(
    (patch: Partial<NewFinetuneForm>) =>
      setState((cur) => {
        const form = { ...cur.form, ...patch };
        try {
          window.localStorage.setItem(storageKey(cur.datasetId), JSON.stringify(form));
        } catch {
          // Quota or privacy mode: the form still works, it is just not remembered.
        }
        return { ...cur, form };
      }),
    [],
  );
  return [state.datasetId === datasetId ? state.form : loadForm(datasetId), set];
}

function useDebounced<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setShown(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}

export interface NewFinetuneState {
  form: NewFinetuneForm;
  set: (patch: Partial<NewFinetuneForm>) => void;
  models: RegisteredModel[];
  /** Model id → why it cannot be fine-tuned (absent: it can). */
  baseProblems: Map<number, string>;
  versions: DatasetVersion[];
  version: DatasetVersion | undefined;
  base: RegisteredModel | undefined;
  /** The dataset's eval prompts (the editor's history picker). */
  history: PromptHistoryEntry[];
  /** Done eval runs of the chosen base on this dataset (baseline candidates). */
  baselines: EvalRun[];
  fieldErrors: FieldErrors;
  validation: FinetuneValidation | undefined;
  /** True while the shown validation is not yet the current form's. */
  validating: boolean;
  loaded: boolean;
}

export function useNewFinetune(datasetId: number): NewFinetuneState {
  const { api } = useStudio();
  const { models, loaded: modelsLoaded } = useModels();
  const [form, set] = useRememberedForm(datasetId);
  const versionsQuery = useQuery({
    queryKey: queryKeys.versions(datasetId),
    queryFn: async () => [...(await api.versions.list({ datasetId }))].sort((a, b) => a.id - b.id),
    meta: { errorContext: 'Loading snapshots' },
  });
  const historyQuery = useQuery({ queryKey: queryKeys.prompts(datasetId), queryFn: () => api.evals.prompts({ datasetId }), meta: { errorContext: 'Loading prompt history' } });
  const runsQuery = useQuery({ queryKey: queryKeys.evalRuns(datasetId), queryFn: () => api.evals.list({ datasetId }), meta: { errorContext: 'Loading eval runs' } });
  const versions = useMemo(() => [...(versionsQuery.data ?? NO_VERSIONS)].reverse(), [versionsQuery.data]);
  const version = versions.find((v) => v.id === form.versionId);
  const base = models.find((m) => m.id === form.baseModelId);

  // Each LFM2-VL candidate asks main whether it can train (PyTorch weights, or what else main requires): the reason is main's own words.
  const candidates = models.filter((m) => baseKindProblem(m) === null);
  const probeVersion = form.versionId ?? versions[0]?.id;
  const probes = useQueries({
    queries: candidates.map((m) => ({
      queryKey: queryKeys.finetuneValidation(`base:${m.id}:${probeVersion ?? 0}`),
      queryFn: () => api.finetunes.validate({ spec: { baseModelId: m.id, versionId: probeVersion ?? 1, systemPrompt: '', userPrompt: 'x' } }),
      enabled: probeVersion !== undefined,
      staleTime: 30_000,
      meta: { errorContext: 'Checking which models can be fine-tuned' },
    })),
  });
  const baseProblems = new Map<number, string>();
  for (const m of models) {
    const kind = baseKindProblem(m);
    if (kind) baseProblems.set(m.id, kind);
  }
  candidates.forEach((m, i) => {
    const own = probes[i]?.data?.errors.find((e) => e.startsWith(`"${m.name}"`));
    if (own) baseProblems.set(m.id, own.replace(`"${m.name}" (${m.path}) `, '').replace(`"${m.name}" `, ''));
  });

  // Defaults: the newest snapshot, the first base that can train.
  const newest = versions[0];
  useEffect(() => {
    if ((form.versionId === null || (versionsQuery.isFetched && !version)) && newest) set({ versionId: newest.id });
  }, [newest, form.versionId, version, versionsQuery.isFetched, set]);
  const probed = probes.every((p) => p.isFetched);
  const firstTrainable = probed ? models.find((m) => !baseProblems.has(m.id)) : undefined;
  useEffect(() => {
    if (form.baseModelId === null && firstTrainable) set({ baseModelId: firstTrainable.id });
  }, [firstTrainable, form.baseModelId, set]);

  const baselines = useMemo(
    () => (runsQuery.data ?? NO_RUNS).filter((r) => r.status === 'done' && r.modelId !== null && r.modelId === form.baseModelId && r.mode !== 'classifier'),
    [runsQuery.data, form.baseModelId],
  );

  // A remembered baseline that is gone (deleted, or of another base) falls back to "create one".
  useEffect(() => {
    if (form.baselineRunId !== null && runsQuery.isFetched && !baselines.some((r) => r.id === form.baselineRunId)) set({ baselineRunId: null });
  }, [form.baselineRunId, baselines, runsQuery.isFetched, set]);

  const { errors: fieldErrors } = useMemo(() => formToSpec(form), [form]);
  // Main checks what it can even while a field is wrong (a bad lora_r does not hide a LoRA list that wraps nothing).
  const spec = useMemo(() => specForValidation(form), [form]);
  const specJson = JSON.stringify({ spec, yaml: form.yamlSource });
  const debounced = useDebounced(specJson, VALIDATE_DEBOUNCE_MS);
  const validationQuery = useQuery({
    queryKey: queryKeys.finetuneValidation(debounced),
    queryFn: () => {
      const args = JSON.parse(debounced) as { spec: NonNullable<typeof spec>; yaml: string | null };
      return api.finetunes.validate({ spec: args.spec, ...(args.yaml !== null ? { yaml: args.yaml } : {}) });
    },
    enabled: spec !== null && debounced === specJson,
    placeholderData: keepPreviousData,
    meta: { errorContext: 'Validating the fine-tune' },
  });
  const validating = spec !== null && (debounced !== specJson || validationQuery.isFetching || validationQuery.isPlaceholderData);
  return {
    form,
    set,
    models,
    baseProblems,
    versions,
    version,
    base,
    baselines,
    history: historyQuery.data ?? NO_HISTORY,
    fieldErrors,
    validation: spec === null ? undefined : validationQuery.data,
    validating,
    loaded: modelsLoaded && versionsQuery.isFetched,
  };
}
