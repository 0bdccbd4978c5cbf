/** Per-class active counts as CSS bars, with 1–9 key hints, add-class, inline rename, and Merge…/Delete… (one undoable change). */
import { useState } from 'react';
import type { ClassInfo } from '../../../shared/domain';
import { classColor } from '../lib/class-color';
import { useStudio } from '../state/studio-context';
import { ClassRemoveDialog } from '../class-mappings/class-remove-dialog';

interface ClassPanelProps {
  datasetId: number;
  classes: ClassInfo[];
  onClassesChanged: (classes: ClassInfo[]) => void;
  onFilterClass: (classId: number) => void;
}

export function ClassPanel({ datasetId, classes, onClassesChanged, onFilterClass }: ClassPanelProps) {
  const { api, reportError, showToast } = useStudio();
  const [newName, setNewName] = useState('');
  const [editing, setEditing] = useState<{ id: number; name: string } | null>(null);
  const [removing, setRemoving] = useState<{ kind: 'merge' | 'delete'; source: ClassInfo } | null>(null);
  const max = Math.max(1, ...classes.map((c) => c.count));
  const total = classes.reduce((sum, c) => sum + c.count, 0);

  const add = async () => {
    const name = newName.trim();
    if (!name) return;
    try {
      onClassesChanged(await api.classes.add({ datasetId, name }));
      setNewName('');
      showToast(`Added class "${name}"`);
    } catch (error) {
      reportError(`Adding class "${name}"`, error);
    }
  };

  const rename = async () => {
    if (!editing) return;
    const name = editing.name.trim();
    const old = classes.find((c) => c.id === editing.id);
    setEditing(null);
    if (!name || name === old?.name) return;
    try {
      onClassesChanged(await api.classes.rename({ datasetId, classId: editing.id, name }));
      showToast(`Renamed "${old?.name}" → "${name}"`);
    } catch (error) {
      reportError(`Renaming class "${old?.name}"`, error);
    }
  };

  return (
    <section className="class-panel" data-testid="class-panel">
      <header className="panel-title">
        Classes <span className="muted">· {total.toLocaleString()} active labelled</span>
      </header>
      {classes.length === 0 ? <p className="muted small">No classes yet — add one below.</p> : null}
      <ul className="class-bars">
        {classes.map((c, i) => (
          <li key={c.id} data-testid={`class-count-${c.name}`} data-count={c.count}>
            <kbd className="class-key">{i < 9 ? i + 1 : ' '}</kbd>
            {editing?.id === c.id ? (
              <input
                autoFocus
                className="class-rename"
                data-testid="class-rename-input"
                value={editing.name}
                onChange={(e) => setEditing({ id: c.id, name: e.target.value })}
                onBlur={() => void rename()}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void rename();
                  if (e.key === 'Escape') {
                    e.preventDefault(); // handled here: the key layers leave it alone
                    setEditing(null);
                  }
                }}
              />
            ) : (
              <button
                type="button"
                className="class-name link"
                title="Show only this class (double-click to rename)"
                onClick={() => onFilterClass(c.id)}
                onDoubleClick={() => setEditing({ id: c.id, name: c.name })}
              >
                {c.name}
              </button>
            )}
            <span className="bar-track">
              <span className="bar-fill" style={{ width: `${(c.count / max) * 100}%`, background: classColor(i) }} />
            </span>
            <span className="bar-count">{c.count.toLocaleString()}</span>
            <span className="class-actions">
              <button
                type="button"
                className="icon-button"
                title={`Rename "${c.name}"`}
                aria-label={`Rename ${c.name}`}
                onClick={() => setEditing({ id: c.id, name: c.name })}
              >
                ✎
              </button>
              <button
                type="button"
                className="icon-button"
                title={`Merge "${c.name}" into another class…`}
                aria-label={`Merge ${c.name}`}
                data-testid={`class-merge-${c.name}`}
                disabled={classes.length < 2}
                onClick={() => setRemoving({ kind: 'merge', source: c })}
              >
                ⤳
              </button>
              <button
                type="button"
                className="icon-button"
                title={`Delete "${c.name}" (samples → another class or unlabelled)…`}
                aria-label={`Delete ${c.name}`}
                data-testid={`class-delete-${c.name}`}
                onClick={() => setRemoving({ kind: 'delete', source: c })}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ul>
      <form
        className="class-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <input
          data-testid="class-add-input"
          placeholder="New class, e.g. other"
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
        />
        <button type="submit" className="small" disabled={!newName.trim()} data-testid="class-add-button">
          Add
        </button>
      </form>
      {removing ? (
        <ClassRemoveDialog
          datasetId={datasetId}
          kind={removing.kind}
          source={removing.source}
          classes={classes}
          onClose={() => setRemoving(null)}
          onDone={() => {
            setRemoving(null);
            void api.classes.list({ datasetId }).then(onClassesChanged, (error: unknown) => reportError('Reloading classes', error));
          }}
        />
      ) : null}
    </section>
  );
}
