/** New-eval option "Cascade: classifier proposes top-k": classifier, k and the label mapping (by name, a custom name → indices map, or a saved one). */
import { useQuery } from '@tanstack/react-query';
import type { CascadeMappingInput, CascadeParams } from '../../../shared/cascade-types';
import type { CreateEvalParams, EvalMode, RegisteredModel } from '../../../shared/eval-types';
import type { StudioApi } from '../../../shared/studio-api';
import { useClassMappings } from '../class-mappings/use-class-mappings';
import { useStudio } from '../state/studio-context';

export interface CascadeChoice {
  enabled: boolean;
  classifierId: number | null;
  k: string;
  mapping: 'by-name' | 'custom' | 'saved';
  /** The saved class mapping (table class_mappings) when mapping is 'saved'. */
  classMappingId: number | null;
  /** Custom mapping as JSON: {"pug": [254], "beagle": [162]} (candidate label → classifier class indices). */
  customJson: string;
  /** Also start the VLM alone over all labels on the same samples (the report's stage 2 alone). */
  stage2Alone: boolean;
}

export const NO_CASCADE: CascadeChoice = { enabled: false, classifierId: null, k: '3', mapping: 'by-name', classMappingId: null, customJson: '', stage2Alone: true };

/** Cascades run the VLM constrained or scored over the k proposals. */
export function cascadeApplies(model: RegisteredModel | undefined, mode: EvalMode): boolean {
  return model?.kind === 'vlm' && (mode === 'constrained' || mode === 'scored');
}

function parseCustom(json: string): CascadeMappingInput | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'The custom mapping is not valid JSON';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The custom mapping must be an object: {"label": [class indices], …}';
  const classes: CascadeMappingInput['classes'] = [];
  for (const [label, indices] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(indices) || indices.some((i) => !Number.isInteger(i) || (i as number) < 0)) return `"${label}" must map to a list of class indices`;
    classes.push({ label, modelClasses: indices as number[] });
  }
  return { name: 'custom', classes };
}

/** The create fields of the chosen cascade: {} when off, an error text when it cannot be started as chosen. */
export function cascadeRequest(choice: CascadeChoice, model: RegisteredModel | undefined, mode: EvalMode): { cascade?: CascadeParams } | string {
  if (!choice.enabled || !cascadeApplies(model, mode)) return {};
  if (choice.classifierId === null) return 'Pick the classifier of stage 1';
  const k = Number(choice.k);
  if (!Number.isInteger(k) || k < 1) return 'k must be a whole number ≥ 1';
  if (choice.mapping === 'saved') {
    if (choice.classMappingId === null) return 'Pick the saved class mapping';
    return { cascade: { classifierModelId: choice.classifierId, k, classMappingId: choice.classMappingId } };
  }
  const mapping = choice.mapping === 'custom' ? parseCustom(choice.customJson) : null;
  if (typeof mapping === 'string') return mapping;
  return { cascade: { classifierModelId: choice.classifierId, k, ...(mapping ? { mapping } : {}) } };
}

/** Starts the stage-2-alone sibling: the same run parameters without the cascade. */
export async function startStage2Alone(api: StudioApi, params: CreateEvalParams): Promise<string> {
  const { jobId } = await api.evals.create({ ...params, name: `${params.name} · stage 2 alone`, cascade: null });
  return jobId;
}

interface CascadeOptionsProps {
  models: readonly RegisteredModel[];
  model: RegisteredModel | undefined;
  mode: EvalMode;
  labels: readonly string[];
  value: CascadeChoice;
  onChange: (patch: Partial<CascadeChoice>) => void;
}

export function CascadeOptions({ models, model, mode, labels, value, onChange }: CascadeOptionsProps) {
  const { api } = useStudio();
  const { saved } = useClassMappings();
  const classifiers = models.filter((m) => m.kind === 'onnx-classifier');
  const classifierId = value.classifierId ?? classifiers[0]?.id ?? null;
  const savedMappings = saved.filter((m) => m.modelId === classifierId || m.id === value.classMappingId);
  const applies = cascadeApplies(model, mode);
  const suggestion = useQuery({
    queryKey: ['cascade-mapping', classifierId, labels],
    queryFn: () => api.cascade.suggestMapping({ classifierModelId: classifierId ?? 0, labels: [...labels] }),
    enabled: applies && value.enabled && classifierId !== null && labels.length > 0,
    meta: { errorContext: 'Matching labels to the classifier' },
  }).data;
  const request = cascadeRequest({ ...value, classifierId }, model, mode);
  if (!applies) return null;

  const toCustom = () => {
    const json = suggestion ? JSON.stringify(Object.fromEntries(suggestion.mapping.classes.map((c) => [c.label, c.modelClasses])), null, 1) : '{}';
    onChange({ mapping: 'custom', customJson: value.customJson || json });
  };
  return (
    <fieldset className="cascade-options" data-testid="cascade-options">
      <label className="checkbox">
        <input type="checkbox" data-testid="cascade-enabled" checked={value.enabled} onChange={(e) => onChange({ enabled: e.target.checked, classifierId })} />
        <span>
          <strong>Cascade: classifier proposes top-k</strong>
          <span className="hint"> — the VLM chooses among each image&apos;s k proposals only; the prompt&apos;s {'{{labels}}'} lists those k.</span>
        </span>
      </label>
      {value.enabled ? (
        classifiers.length === 0 ? (
          <p className="form-error">Register an ONNX classifier (e.g. MobileNetV2) in Models first.</p>
        ) : (
          <>
            <div className="form-row">
              <label>
                Classifier (stage 1)
                <select data-testid="cascade-classifier" value={classifierId ?? ''} onChange={(e) => onChange({ classifierId: Number(e.target.value) })}>
                  {classifiers.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                k
                <input type="number" min={1} max={labels.length} data-testid="cascade-k" value={value.k} onChange={(e) => onChange({ k: e.target.value })} />
              </label>
              <label>
                Label mapping
                <select
                  data-testid="cascade-mapping"
                  value={value.mapping === 'saved' ? `saved:${value.classMappingId ?? ''}` : value.mapping}
                  onChange={(e) => {
                    const v = e.target.value;
                    if (v === 'custom') toCustom();
                    else if (v.startsWith('saved:')) onChange({ mapping: 'saved', classMappingId: Number(v.slice('saved:'.length)) });
                    else onChange({ mapping: 'by-name' });
                  }}
                >
                  <option value="by-name">By name</option>
                  <option value="custom">Custom (label → indices)</option>
                  {savedMappings.map((m) => (
                    <option key={m.id} value={`saved:${m.id}`}>
                      Saved: {m.name}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {value.mapping === 'by-name' && suggestion ? (
              <p className="hint" data-testid="cascade-mapping-preview" data-matched={suggestion.matches.length}>
                {suggestion.matches.length} of {labels.length} labels matched (
                {suggestion.matches
                  .slice(0, 6)
                  .map((m) => `${m.label} → ${m.modelClasses.map((c) => c.name).join(' + ')}`)
                  .join(', ')}
                {suggestion.matches.length > 6 ? ', …' : ''})
                {suggestion.unmatched.length > 0 ? `; never proposed: ${suggestion.unmatched.join(', ')}` : ''}
              </p>
            ) : null}
            {value.mapping === 'custom' ? (
              <textarea rows={4} data-testid="cascade-mapping-json" value={value.customJson} onChange={(e) => onChange({ customJson: e.target.value })} />
            ) : null}
            <label className="checkbox">
              <input type="checkbox" data-testid="cascade-stage2" checked={value.stage2Alone} onChange={(e) => onChange({ stage2Alone: e.target.checked })} />
              <span>Also run the VLM alone over all labels on the same samples (for the cascade report)</span>
            </label>
            {typeof request === 'string' ? <p className="form-error">{request}</p> : null}
          </>
        )
      ) : null}
    </fieldset>
  );
}
