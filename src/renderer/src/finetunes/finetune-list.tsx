/** Every fine-tune job, newest first: base model, snapshot, state, started, steps done/total, and Cancel while live. */
import type { FinetuneJob } from '../../../shared/ipc-contract-finetunes';
import { formatDate } from '../lib/format';
import { baseLabel, snapshotLabel, stepsOf } from './finetune-format';
import { isLiveFinetune } from './use-finetunes';

interface FinetuneListProps {
  finetunes: FinetuneJob[];
  onOpen: (jobId: string) => void;
  onCancel: (jobId: string) => void;
}

export function FinetuneList({ finetunes, onOpen, onCancel }: FinetuneListProps) {
  return (
    <section className="panel-card runs-card">
      <div className="table-scroll">
        <table className="plain-table runs-table" data-testid="finetunes-table">
          <thead>
            <tr>
              <th>Fine-tune</th>
              <th>Base model</th>
              <th>Snapshot</th>
              <th>State</th>
              <th>Started</th>
              <th className="num">Steps</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {finetunes.map((ft) => {
              const { done, total } = stepsOf(ft);
              return (
                <tr key={ft.job.id} data-testid="finetune-row" data-job-id={ft.job.id}>
                  <td>
                    <button type="button" className="link run-name" data-testid="finetune-open" onClick={() => onOpen(ft.job.id)}>
                      {ft.spec.outputName ?? ft.job.id}
                    </button>
                  </td>
                  <td className="ellipsis">{baseLabel(ft)}</td>
                  <td className="ellipsis">{snapshotLabel(ft)}</td>
                  <td>
                    <span className={`run-status status-${ft.job.status}`} data-testid="finetune-status">
                      {ft.job.status}
                    </span>
                  </td>
                  <td className="nowrap">{formatDate(ft.job.createdAt)}</td>
                  <td className="num" data-testid="finetune-steps">
                    {done ?? '—'} / {total ?? '—'}
                  </td>
                  <td>
                    {isLiveFinetune(ft) ? (
                      <button type="button" className="small" data-testid="finetune-row-cancel" onClick={() => onCancel(ft.job.id)}>
                        Cancel
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
