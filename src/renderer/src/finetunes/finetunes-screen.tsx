/** The Fine-tunes section: the job list (or how to start one) and one job's monitor. */
import { useQueryClient } from '@tanstack/react-query';
import '../styles/finetunes.css';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { FinetuneDetail } from './finetune-detail';
import { FinetuneList } from './finetune-list';
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
  if (jobId !== null) return <FinetuneDetail jobId={jobId} onBack={() => onOpen(null)} onOpenModel={onGoModels} onOpenCompare={onOpenCompare} />;
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
      </header>
      <div className="page-body">
        {loaded && finetunes.length === 0 ? (
          <div className="empty-state" data-testid="finetunes-empty">
            <h2>No fine-tunes yet</h2>
            <p>For now a fine-tune starts from the command line, with a config naming the base model, the snapshot and the prompts:</p>
            <pre className="ft-command">npm run studio -- finetune --config finetune.yaml</pre>
            <p>It shows up here as soon as it is queued, and you can follow its loss curves and log live. A create form comes later.</p>
          </div>
        ) : (
          <FinetuneList finetunes={finetunes} onOpen={onOpen} onCancel={(id) => void cancel(id)} />
        )}
      </div>
    </div>
  );
}
