/** The Fine-tunes section: the job list (or how to start one) and one job's monitor. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import '../styles/finetunes.css';
import { queryKeys } from '../data/query-keys';
import { useSelectedDataset } from '../state/selected-dataset';
import { useStudio } from '../state/studio-context';
import { FinetuneDetail } from './finetune-detail';
import { FinetuneList } from './finetune-list';
import { NewFinetuneForm } from './new-finetune-form';
import { useFinetunes } from './use-finetunes';

interface FinetunesScreenProps {
  /** The open job (null: the list). */
  jobId: string | null;
  onOpen: (jobId: string | null) => void;
  onGoModels: () => void;
  onOpenCompare: (baselineRunId: number, finetunedRunId: number, datasetId: number) => void;
}

export function FinetunesScreen({ jobId, onOpen, onGoModels, onOpenCompare }: FinetunesScreenProps) {
  const { api, reportError } = useStudio();
  const client = useQueryClient();
  const { finetunes, loaded } = useFinetunes();
  const { datasetId } = useSelectedDataset();
  const [creating, setCreating] = useState(false);
  if (creating && datasetId !== null && jobId === null) {
    return (
      <NewFinetuneForm
        datasetId={datasetId}
        onCancel={() => setCreating(false)}
        onStarted={(id) => {
          setCreating(false);
          onOpen(id);
        }}
      />
    );
  }
  if (jobId !== null) return <FinetuneDetail jobId={jobId} onBack={() => onOpen(null)} onOpenModel={onGoModels} onOpenCompare={onOpenCompare} onOpenJob={onOpen} />;
  const cancel = async (id: string) => {
    try {
      await api.jobs.cancel({ jobId: id });
    } catch (error) {
      reportError('Cancelling the fine-tune', error);
    }
    await client.invalidateQueries({ queryKey: queryKeys.finetunes });
  };
  return (
    <div className="page" data-testid="finetunes-screen">
      <header className="page-header">
        <div>
          <h1>Fine-tunes</h1>
          <span className="muted">LoRA fine-tunes of a VLM on a dataset snapshot, with their loss curves and logs.</span>
        </div>
        <button
          type="button"
          className="primary"
          data-testid="new-finetune-open"
          disabled={datasetId === null}
          title={datasetId === null ? 'Import a dataset first (Data section)' : undefined}
          onClick={() => setCreating(true)}
        >
          New fine-tune
        </button>
      </header>
      <div className="page-body">
        {loaded && finetunes.length === 0 ? (
          <div className="empty-state" data-testid="finetunes-empty">
            <h2>No fine-tunes yet</h2>
            <p>Start one with “New fine-tune” (you can import your finetune.yaml there), or from the command line:</p>
            <pre className="ft-command">npm run studio -- finetune --config finetune.yaml</pre>
            <p>It shows up here as soon as it is queued, and you can follow its loss curves and log live.</p>
          </div>
        ) : (
          <FinetuneList finetunes={finetunes} onOpen={onOpen} onCancel={(id) => void cancel(id)} />
        )}
      </div>
    </div>
  );
}
