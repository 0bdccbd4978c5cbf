/** What models:inspect found in a folder: kind, architecture, supported or not and why, dtypes, size, every problem. */
import type { ModelInspection } from '../../../shared/model-types';
import { formatBytes, plural } from '../lib/format';
import { kindLabel, sourceText } from './model-format';

export function InspectionView({ inspection }: { inspection: ModelInspection }) {
  const i = inspection;
  return (
    <div className={`inspection ${i.supported ? 'supported' : 'unsupported'}`} data-testid="model-inspection" data-supported={i.supported}>
      <div className="inspection-verdict" data-testid="inspection-verdict">
        <span className="verdict-icon" aria-hidden="true">
          {i.supported ? '✓' : '!'}
        </span>
        <span>
          <strong>{i.supported ? 'Supported' : 'Not supported'}</strong> — {i.supportReason}
        </span>
      </div>
      <dl className="inspection-facts">
        <dt>Kind</dt>
        <dd>{i.kind ? kindLabel(i.kind) : <span className="muted">not recognised</span>}</dd>
        <dt>Architecture</dt>
        <dd>{i.architecture ?? <span className="muted">—</span>}</dd>
        {i.classifier ? (
          <>
            <dt>Graph</dt>
            <dd>
              <code>{i.classifier.onnxFile}</code> · {plural(i.classifier.labelCount, 'class', 'classes')} in labels.txt
            </dd>
          </>
        ) : null}
        {i.kind === 'onnx-classifier' ? (
          <>
            <dt>Precision</dt>
            <dd data-testid="inspection-precision">fixed by the graph — a classifier has one ONNX file, no dtype variants to pick</dd>
          </>
        ) : (
          <>
            <dt>Dtypes</dt>
            <dd data-testid="inspection-dtypes">
              {i.dtypes.length === 0 ? <span className="muted">no complete set of ONNX files for any dtype</span> : null}
              {i.dtypes.map((d) => (
                <span key={d} className="dtype-tag">
                  {d}
                  {i.bytesByDtype[d] !== undefined ? <span className="muted"> {formatBytes(i.bytesByDtype[d] ?? 0)}</span> : null}
                </span>
              ))}
            </dd>
          </>
        )}
        <dt>Size</dt>
        <dd>
          {formatBytes(i.totalBytes)} in {plural(i.files.length, 'file')}
        </dd>
        <dt>Source</dt>
        <dd>
          {sourceText(i.provenance)}
          {i.provenance.baseModel ? ` · fine-tune of ${i.provenance.baseModel}` : ''}
        </dd>
      </dl>
      {i.problems.length > 0 ? (
        <div className="inspection-problems">
          <h3>{plural(i.problems.length, 'problem')}</h3>
          <ul data-testid="inspection-problems">
            {i.problems.map((p) => (
              <li key={p} data-testid="inspection-problem">
                {p}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
