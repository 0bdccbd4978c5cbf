/** The config diff of two compared runs: changed fields side by side, prompts and labels as line diffs, unchanged ones folded. */
import { useState } from 'react';
import type { EvalRun } from '../../../shared/eval-types';
import { runConfigDiff, type ConfigField } from './run-config-diff';

function Lines({ f }: { f: ConfigField }) {
  return (
    <pre className="line-diff" data-testid={`config-lines-${f.id}`}>
      {(f.lines ?? []).map((l, i) => (
        <div key={i} className={`diff-${l.kind}`}>
          {l.kind === 'removed' ? '− ' : l.kind === 'added' ? '+ ' : '  '}
          {l.text || ' '}
        </div>
      ))}
    </pre>
  );
}

export function ConfigDiff({ a, b }: { a: EvalRun; b: EvalRun }) {
  const [showSame, setShowSame] = useState(false);
  const fields = runConfigDiff(a, b);
  const changed = fields.filter((f) => !f.same);
  const same = fields.filter((f) => f.same);
  return (
    <section className="panel-card config-diff" data-testid="config-diff" data-changed={changed.map((f) => f.id).join(' ')}>
      <h3>Configuration</h3>
      {changed.length === 0 ? <p className="muted">Both runs used the same configuration.</p> : null}
      <table className="plain-table config-table">
        <thead>
          <tr>
            <th />
            <th>A</th>
            <th>B</th>
          </tr>
        </thead>
        <tbody>
          {[...changed, ...(showSame ? same : [])].map((f) => (
            <tr key={f.id} data-testid="config-row" data-field={f.id} data-same={f.same}>
              <th scope="row">{f.label}</th>
              {f.lines ? (
                <td colSpan={2}>
                  <Lines f={f} />
                </td>
              ) : (
                <>
                  <td className={f.same ? '' : 'diff-removed'}>{f.a}</td>
                  <td className={f.same ? '' : 'diff-added'}>{f.b}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {same.length > 0 ? (
        <button type="button" className="link small" data-testid="config-show-same" onClick={() => setShowSame(!showSame)}>
          {showSame ? 'Hide' : 'Show'} the {same.length} unchanged fields
        </button>
      ) : null}
    </section>
  );
}
