/** One part of a prompt diff: removed lines red with "−", added green with "+", unchanged plain, with old/new line numbers. */
import type { DiffLine } from '../../../shared/line-diff';
import { diffStats } from '../../../shared/line-diff';

interface DiffLinesViewProps {
  title: string;
  lines: DiffLine[];
  testId: string;
}

const MARK = { same: ' ', added: '+', removed: '−' } as const;

export function DiffLinesView({ title, lines, testId }: DiffLinesViewProps) {
  const { added, removed } = diffStats(lines);
  return (
    <section className="diff-part" data-testid={testId}>
      <header className="diff-part-head">
        <strong>{title}</strong>
        <span className="muted small">
          {added === 0 && removed === 0 ? 'unchanged' : (
            <>
              <span className="diff-count added">+{added}</span> <span className="diff-count removed">−{removed}</span>
            </>
          )}
        </span>
      </header>
      <div className="diff-lines" role="table">
        {lines.length === 0 ? <div className="diff-line same muted">(empty)</div> : null}
        {lines.map((l, i) => (
          <div key={i} className={`diff-line ${l.op}`} data-op={l.op} role="row">
            <span className="diff-no">{l.oldLine ?? ''}</span>
            <span className="diff-no">{l.newLine ?? ''}</span>
            <span className="diff-mark">{MARK[l.op]}</span>
            <span className="diff-text">{l.text === '' ? '\u00a0' : l.text}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
