/** The registered models: kind, architecture, dtypes, size, provenance (local / Hub repo@revision, base or fine-tune), Remove. */
import { useState } from 'react';
import type { RegisteredModel } from '../../../shared/eval-types';
import { formatBytes, formatDate } from '../lib/format';
import { kindLabel, sourceText } from './model-format';

interface ModelTableProps {
  models: RegisteredModel[];
  onRemove: (model: RegisteredModel) => void;
}

export function ModelTable({ models, onRemove }: ModelTableProps) {
  const [confirming, setConfirming] = useState<number | null>(null);
  return (
    <table className="plain-table model-table" data-testid="model-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Kind</th>
          <th>Architecture</th>
          <th>Dtypes</th>
          <th className="num">Size</th>
          <th>Provenance</th>
          <th>Added</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.id} data-testid="model-row" data-model-id={m.id} data-model-name={m.name}>
            <td>
              <div className="model-name">{m.name}</div>
              <div className="model-path mono" title={m.path}>
                {m.path}
              </div>
            </td>
            <td>
              <span className={`kind-tag kind-${m.kind}`}>{kindLabel(m.kind)}</span>
            </td>
            <td>{m.architecture ?? <span className="muted">—</span>}</td>
            <td>
              {m.kind === 'onnx-classifier' ? <span className="muted small">fixed by the graph</span> : m.dtypes.length === 0 ? <span className="muted">—</span> : null}
              {m.dtypes.map((d) => (
                <span key={d} className={`dtype-tag${d === m.defaultDtype ? ' default' : ''}`} title={d === m.defaultDtype ? 'default dtype' : undefined}>
                  {d}
                </span>
              ))}
            </td>
            <td className="num nowrap">{formatBytes(m.totalBytes)}</td>
            <td>
              <div>{sourceText(m.provenance)}</div>
              <div className="muted small">{m.provenance.baseModel ? `Fine-tune of ${m.provenance.baseModel}` : 'Base model'}</div>
            </td>
            <td className="muted small">{formatDate(m.createdAt)}</td>
            <td>
              {confirming === m.id ? (
                <span className="row-actions">
                  <button type="button" className="small danger" data-testid="model-remove-confirm" onClick={() => onRemove(m)}>
                    Remove
                  </button>
                  <button type="button" className="small" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="small"
                  data-testid="model-remove"
                  title="Forget this model (the folder on disk is left alone)"
                  onClick={() => setConfirming(m.id)}
                >
                  Remove…
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
