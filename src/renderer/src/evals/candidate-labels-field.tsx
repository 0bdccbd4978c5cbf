/** New-eval candidate labels: the snapshot's classes (locked in), extra candidates pasted one per line, and an optional abstain label. */
import { candidateListProblem, mergeCandidates, parseCandidateList } from '../../../shared/candidate-labels';

export interface CandidateChoice {
  /** The ordered candidates the run will offer (the classes when nothing extra was given). */
  labels: string[];
  /** Candidates beyond the snapshot's classes. */
  extra: string[];
  /** The abstain label, when one of the extras is picked. */
  abstainLabel: string | null;
  /** Why the list cannot be used, or null. */
  problem: string | null;
}

/** Resolves the form's text into the run's candidate list; a stale abstain pick (no longer an extra) is dropped. */
export function candidateChoice(classes: readonly string[], extraText: string, abstain: string): CandidateChoice {
  const pasted = parseCandidateList(extraText);
  const labels = mergeCandidates(classes, pasted);
  const extra = labels.filter((l) => !classes.includes(l));
  const problem = candidateListProblem(pasted);
  return { labels, extra, abstainLabel: extra.includes(abstain) ? abstain : null, problem: problem ? `Candidate ${problem}` : null };
}

interface CandidateLabelsFieldProps {
  classes: string[];
  extraText: string;
  abstain: string;
  onChange: (patch: { extraCandidates?: string; abstainLabel?: string }) => void;
}

export function CandidateLabelsField({ classes, extraText, abstain, onChange }: CandidateLabelsFieldProps) {
  const choice = candidateChoice(classes, extraText, abstain);
  return (
    <div className="candidate-labels" data-testid="eval-candidates-field">
      <div className="candidate-classes">
        <span className="hint">Always offered — the snapshot’s classes:</span>
        {classes.map((c) => (
          <span key={c} className="chip locked" title="A class of the snapshot: always a candidate" data-testid="eval-candidate-class">
            {c}
          </span>
        ))}
      </div>
      <label>
        More candidate labels (optional)
        <textarea
          rows={4}
          data-testid="eval-candidates"
          placeholder={'One label per line; a pasted “- label” list works.\ne.g. every car maker, or “unknown” as a way to abstain'}
          value={extraText}
          onChange={(e) => onChange({ extraCandidates: e.target.value })}
        />
        {choice.problem ? (
          <span className="form-error" data-testid="eval-candidates-error">
            {choice.problem}
          </span>
        ) : (
          <span className="hint" data-testid="eval-candidates-summary">
            {choice.labels.length} candidates: {classes.length} classes
            {choice.extra.length > 0 ? ` + ${choice.extra.length} more (an answer of one of those counts as wrong and gets its own confusion-matrix column)` : ''}.
          </span>
        )}
      </label>
      <label>
        Abstain label
        <select data-testid="eval-abstain" value={choice.abstainLabel ?? ''} disabled={choice.extra.length === 0} onChange={(e) => onChange({ abstainLabel: e.target.value })}>
          <option value="">None</option>
          {choice.extra.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <span className="hint">An answer of this candidate means the model declined: the run reports coverage and accuracy on the answered samples.</span>
      </label>
    </div>
  );
}
