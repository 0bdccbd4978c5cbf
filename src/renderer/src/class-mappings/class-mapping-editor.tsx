/** Builds or edits a saved class mapping from a classifier's labels: search, multi-select, assign to a target, the rest → other/abstain, save. */
import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SavedClassMapping } from '../../../shared/class-mapping-types';
import { queryKeys } from '../data/query-keys';
import { Modal } from '../dialogs/modal';
import { errorMessage } from '../lib/errors';
import { useStudio } from '../state/studio-context';
import { assignTo, draftFromMapping, draftProblem, emptyDraft, mappingFromDraft, removeTarget, searchLabels, type MappingDraft } from '../../../shared/class-mapping-draft';
import { MappingTargets } from './mapping-targets';
import { ModelLabelList } from './model-label-list';
import { useClassMappings, useModelLabels } from './use-class-mappings';
import '../styles/class-mappings.css';

interface ClassMappingEditorProps {
  modelId: number;
  modelName: string;
  /** Dataset classes, offered as target names. */
  suggestions: string[];
  /** The saved mapping to edit; null = a new one. */
  editing: SavedClassMapping | null;
  onClose: () => void;
  onSaved: (saved: SavedClassMapping) => void;
}

export function ClassMappingEditor(props: ClassMappingEditorProps) {
  const labels = useModelLabels(props.modelId);
  if (labels === null) {
    return (
      <Modal title={editorTitle(props.editing)} testId="class-mapping-editor" onClose={props.onClose} wide>
        <p className="muted">Reading {props.modelName}'s labels…</p>
      </Modal>
    );
  }
  return <EditorBody {...props} labels={labels} />;
}

const editorTitle = (editing: SavedClassMapping | null): string => (editing ? `Edit class mapping "${editing.name}"` : 'New class mapping');

function EditorBody({ modelId, modelName, suggestions, editing, onClose, onSaved, labels }: ClassMappingEditorProps & { labels: string[] }) {
  const { api, showToast } = useStudio();
  const client = useQueryClient();
  const { saved, presets } = useClassMappings();
  const [draft, setDraft] = useState<MappingDraft>(() => (editing ? draftFromMapping(editing.mapping, labels.length) : emptyDraft(labels.length)));
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = useMemo(() => searchLabels(labels, query), [labels, query]);
  const problem = draftProblem(draft);
  const starts = [...presets.map((m) => ({ key: `preset:${m.name}`, label: `Preset: ${m.name}`, mapping: m })), ...saved.filter((s) => s.modelClassCount === labels.length && s.id !== editing?.id).map((s) => ({ key: `saved:${s.id}`, label: `Saved: ${s.name}`, mapping: s.mapping }))];

  const assign = (to: string | null) => {
    setDraft(assignTo(draft, selected, to));
    setSelected(new Set());
  };
  const remove = async () => {
    if (!editing || busy) return;
    setBusy(true);
    try {
      await api.classMappings.remove({ id: editing.id });
      await client.invalidateQueries({ queryKey: queryKeys.classMappings });
      showToast(`Deleted class mapping "${editing.name}" (runs keep the copy they used)`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  const save = async () => {
    if (problem || busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.classMappings.save({ id: editing?.id ?? null, modelId, mapping: mappingFromDraft(draft) });
      await client.invalidateQueries({ queryKey: queryKeys.classMappings });
      showToast(`Saved class mapping "${result.name}"`);
      onSaved(result);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const footer = (
    <>
      {editing ? (
        <button type="button" className="mapping-delete" data-testid="mapping-delete" disabled={busy} onClick={() => void remove()}>
          Delete mapping
        </button>
      ) : null}
      <button type="button" onClick={onClose}>
        Cancel
      </button>
      <button type="button" className="primary" data-testid="mapping-save" disabled={problem !== null || busy} onClick={() => void save()}>
        {busy ? 'Saving…' : 'Save mapping'}
      </button>
    </>
  );
  return (
    <Modal title={editorTitle(editing)} testId="class-mapping-editor" onClose={onClose} wide footer={footer}>
      {/* A div, not a form: the editor opens from inside the new-eval form (through a portal), whose submit starts an eval. */}
      <div className="mapping-editor form">
        <div className="form-row">
          <label>
            Name
            <input data-testid="mapping-name" value={draft.name} placeholder="e.g. pets-with-other" onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          </label>
          <label>
            Start from
            <select
              data-testid="mapping-start-from"
              value=""
              onChange={(e) => {
                const start = starts.find((s) => s.key === e.target.value);
                if (start) setDraft(draftFromMapping(start.mapping, labels.length, draft.name));
              }}
            >
              <option value="">{starts.length ? 'Pick a preset or saved mapping…' : 'No presets'}</option>
              {starts.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="hint">
          {modelName}: {labels.length} model classes. Select some (search by name or an index range), assign them to a target class, then decide what happens to the rest.
        </p>
        <div className="mapping-grid">
          <ModelLabelList labels={labels} shown={shown} query={query} onQuery={setQuery} selected={selected} onSelected={setSelected} assign={draft.assign} targets={draft.targets} rest={draft.rest} />
          <div className="mapping-side">
            <div className="mapping-assign">
              <label>
                Assign {selected.size} selected to
                <input data-testid="mapping-target-input" list="mapping-target-names" value={target} placeholder="target class, e.g. dog" onChange={(e) => setTarget(e.target.value)} />
                <datalist id="mapping-target-names">
                  {[...new Set([...draft.targets, ...suggestions])].map((t) => (
                    <option key={t} value={t} />
                  ))}
                </datalist>
              </label>
              <div className="mapping-assign-buttons">
                <button type="button" className="primary small" data-testid="mapping-assign" disabled={selected.size === 0 || target.trim() === ''} onClick={() => assign(target.trim())}>
                  Assign
                </button>
                <button type="button" className="small" data-testid="mapping-unassign" disabled={selected.size === 0} onClick={() => assign(null)}>
                  Unassign
                </button>
              </div>
            </div>
            <MappingTargets
              draft={draft}
              onRemove={(t) => setDraft(removeTarget(draft, t))}
              onChange={(patch) => setDraft({ ...draft, ...patch })}
            />
          </div>
        </div>
        {error || problem ? (
          <p className={error ? 'form-error' : 'muted small'} role={error ? 'alert' : undefined} data-testid={error ? 'dialog-error' : 'mapping-problem'}>
            {error ?? problem}
          </p>
        ) : null}
      </div>
    </Modal>
  );
}
