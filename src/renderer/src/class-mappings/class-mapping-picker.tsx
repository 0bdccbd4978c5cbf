/** The new-eval form's class mapping choice: none, a preset, or a saved mapping; plus New/Edit that open the mapping editor. */
import { useState } from 'react';
import { createPortal } from 'react-dom';
import type { SavedClassMapping } from '../../../shared/class-mapping-types';
import type { RegisteredModel } from '../../../shared/eval-types';
import { ClassMappingEditor } from './class-mapping-editor';
import { useClassMappings, useModelLabels } from './use-class-mappings';
import '../styles/class-mappings.css';

interface ClassMappingPickerProps {
  model: RegisteredModel | undefined;
  value: string;
  onChange: (name: string) => void;
  /** The snapshot's classes: offered as targets, and used to say whether a mapping fits. */
  datasetClasses: string[];
}

function targetsOf(m: { classes: { label: string }[]; rest?: string | null }): string[] {
  const labels = m.classes.map((c) => c.label);
  return m.rest && !labels.includes(m.rest) ? [...labels, m.rest] : labels;
}

export function ClassMappingPicker({ model, value, onChange, datasetClasses }: ClassMappingPickerProps) {
  const { saved, presets } = useClassMappings();
  const modelLabels = useModelLabels(model?.kind === 'onnx-classifier' ? model.id : null);
  const sizeMismatch = (m: SavedClassMapping) => modelLabels !== null && m.modelClassCount !== modelLabels.length;
  const [editing, setEditing] = useState<SavedClassMapping | 'new' | null>(null);
  const current = saved.find((s) => s.name === value) ?? null;
  const fits = (targets: string[]) => targets.length === datasetClasses.length && targets.every((t) => datasetClasses.includes(t));
  const describe = (targets: string[]) => `${targets.join(', ')}${datasetClasses.length && !fits(targets) ? ' — not this snapshot’s classes' : ''}`;
  return (
    <div className="mapping-picker">
      Class mapping
      <div className="mapping-picker-row">
        <select data-testid="eval-class-mapping" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">None — the model's own labels must match the dataset classes</option>
          {presets.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name} (preset: {describe(targetsOf(m))})
            </option>
          ))}
          {saved.map((m) => (
            <option key={m.id} value={m.name} disabled={sizeMismatch(m)}>
              {m.name} ({sizeMismatch(m) ? `built for a model with ${m.modelClassCount} classes; this one has ${modelLabels?.length}` : describe(targetsOf(m.mapping))})
            </option>
          ))}
        </select>
        <button type="button" className="small" data-testid="eval-mapping-new" disabled={!model || model.kind !== 'onnx-classifier'} onClick={() => setEditing('new')}>
          New…
        </button>
        <button type="button" className="small" data-testid="eval-mapping-edit" disabled={!current || !model} onClick={() => setEditing(current)}>
          Edit…
        </button>
      </div>
      <span className="hint">Build one from the model's labels (search, select, assign; the rest → "other" or abstain), save it and reuse it.</span>
      {editing !== null && model
        ? createPortal(
        <ClassMappingEditor
          modelId={model.id}
          modelName={model.name}
          suggestions={datasetClasses}
          editing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(s) => {
            setEditing(null);
            onChange(s.name);
          }}
        />,
            document.body,
          )
        : null}
    </div>
  );
}
