/** The mapping's targets with their model-class counts, what happens to the unassigned rest (left out / a target), and the abstain target. */
import { classColor } from '../lib/class-color';
import { draftTargets, type MappingDraft } from '../../../shared/class-mapping-draft';

interface MappingTargetsProps {
  draft: MappingDraft;
  onRemove: (target: string) => void;
  onChange: (patch: Partial<MappingDraft>) => void;
}

type RestMode = 'leave' | 'target' | 'abstain';

export function MappingTargets({ draft, onRemove, onChange }: MappingTargetsProps) {
  const mode: RestMode = draft.rest === null ? 'leave' : draft.abstain === draft.rest ? 'abstain' : 'target';
  const onRestMode = (next: RestMode) => {
    if (next === 'leave') onChange({ rest: null, abstain: mode === 'abstain' ? null : draft.abstain });
    else if (next === 'target') onChange({ rest: draft.rest ?? 'other', abstain: mode === 'abstain' ? null : draft.abstain });
    else onChange({ rest: draft.rest ?? 'unknown', abstain: draft.rest ?? 'unknown' });
  };
  /** Renaming the rest target keeps it the abstain target when it was. */
  const onRest = (rest: string) => onChange({ rest, abstain: mode === 'abstain' ? rest : draft.abstain });
  const onAbstain = (abstain: string | null) => onChange({ abstain });
  const unassigned = draft.assign.filter((t) => t === null).length;
  const counts = new Map<string, number>();
  for (const t of draft.assign) if (t !== null) counts.set(t, (counts.get(t) ?? 0) + 1);
  const all = draftTargets(draft);
  return (
    <section className="mapping-targets" data-testid="mapping-targets">
      <h4>Targets</h4>
      {draft.targets.length === 0 ? <p className="muted small">None yet: select model labels on the left and assign them.</p> : null}
      <ul>
        {draft.targets.map((t, i) => (
          <li key={t} data-testid="mapping-target-row" data-target={t} data-count={counts.get(t) ?? 0}>
            <span className="swatch" style={{ background: classColor(i) }} />
            <strong>{t}</strong>
            <span className="muted small">
              {counts.get(t) ?? 0} model class{counts.get(t) === 1 ? '' : 'es'}
              {draft.rest === t ? ` + the rest (${unassigned})` : ''}
            </span>
            <button type="button" className="icon-button" aria-label={`Remove target ${t}`} title="Unassign its model classes" onClick={() => onRemove(t)}>
              ×
            </button>
          </li>
        ))}
        {draft.rest && !draft.targets.includes(draft.rest) ? (
          <li data-testid="mapping-target-row" data-target={draft.rest} data-count={0} data-rest="true">
            <span className="swatch rest" />
            <strong>{draft.rest}</strong>
            <span className="muted small">the rest ({unassigned} model classes)</span>
          </li>
        ) : null}
      </ul>
      <fieldset className="radio-group">
        <legend>The rest ({unassigned} unassigned model classes)</legend>
        <label className="radio">
          <input type="radio" name="mapping-rest" data-testid="mapping-rest-leave" checked={mode === 'leave'} onChange={() => onRestMode('leave')} />
          <span>Leave out — probabilities are renormalised over the targets</span>
        </label>
        <label className="radio">
          <input type="radio" name="mapping-rest" data-testid="mapping-rest-to-target" checked={mode === 'target'} onChange={() => onRestMode('target')} />
          <span>Map to a target class (e.g. "other")</span>
        </label>
        <label className="radio">
          <input type="radio" name="mapping-rest" data-testid="mapping-rest-abstain" checked={mode === 'abstain'} onChange={() => onRestMode('abstain')} />
          <span>Abstain — a target counted as "did not answer"</span>
        </label>
        <label className="mapping-rest-name">
          Rest target
          <input
            className="mapping-rest-input"
            data-testid="mapping-rest-target"
            value={draft.rest ?? ''}
            placeholder={mode === 'abstain' ? 'unknown' : 'other'}
            disabled={mode === 'leave'}
            onChange={(e) => onRest(e.target.value)}
          />
        </label>
      </fieldset>
      <label className="mapping-abstain">
        Abstain target
        <select data-testid="mapping-abstain" value={draft.abstain ?? ''} onChange={(e) => onAbstain(e.target.value || null)}>
          <option value="">None</option>
          {all.map((t) => (
            <option key={t} value={t}>
              {t} — counts as "did not answer"
            </option>
          ))}
        </select>
      </label>
      <p className="hint">
        Whatever the model puts on unassigned classes is shown per sample as out-of-distribution (OOD) mass, whether it goes to a rest target or is left out.
      </p>
    </section>
  );
}
