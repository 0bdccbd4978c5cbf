/** Models view: the registry, the GPU runtime panel, the Secrets panel, Add local model…, Download from Hugging Face… and Create a mini VLM, with empty-state guidance. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { RegisteredModel } from '../../../shared/eval-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { AddModelDialog } from './add-model-dialog';
import { RuntimePanel } from './runtime-panel';
import { SecretsPanel } from './secrets-panel';
import { DownloadDialog } from './download-dialog';
import { MiniVlmDialog } from './mini-vlm-dialog';
import { ModelTable } from './model-table';
import { useModels } from './use-models';

interface ModelsScreenProps {
  onDownloadStarted: (jobId: string) => void;
  onMiniVlmStarted: (jobId: string) => void;
}

export function ModelsScreen({ onDownloadStarted, onMiniVlmStarted }: ModelsScreenProps) {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<'add' | 'download' | 'mini' | null>(null);
  const { models, loaded } = useModels();
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.models });

  const remove = async (model: RegisteredModel) => {
    try {
      await api.models.remove({ modelId: model.id });
      showToast(`Removed ${model.name} from the registry (files kept)`);
    } catch (error) {
      reportError('Removing the model', error);
    }
    await refresh();
  };

  return (
    <div className="page" data-testid="models-screen">
      <header className="page-header">
        <div>
          <h1>Models</h1>
          <span className="muted">Vision-language models and ONNX classifiers you can evaluate.</span>
        </div>
        <div className="row-actions">
          <button type="button" className="primary" data-testid="model-add-open" onClick={() => setDialog('add')}>
            Add local model…
          </button>
          <button type="button" data-testid="model-download-open" onClick={() => setDialog('download')}>
            Download from Hugging Face…
          </button>
          <button type="button" className="small" data-testid="mini-vlm-open" onClick={() => setDialog('mini')}>
            Create a mini VLM (MobileNetV2 + small LM)
          </button>
        </div>
      </header>
      <div className="page-body">
        {loaded && models.length === 0 ? (
          <div className="empty-state" data-testid="models-empty">
            <h2>No models yet</h2>
            <p>Add a local model folder or download one from Hugging Face. Small VLMs (LFM2-VL, SmolVLM) and ONNX classifiers work.</p>
            <div className="row-actions">
              <button type="button" className="primary" onClick={() => setDialog('add')}>
                Add local model…
              </button>
              <button type="button" onClick={() => setDialog('download')}>
                Download…
              </button>
            </div>
          </div>
        ) : (
          <section className="panel-card">
            <ModelTable models={models} onRemove={(m) => void remove(m)} />
          </section>
        )}
        <RuntimePanel />
        <SecretsPanel />
      </div>
      {dialog === 'add' ? (
        <AddModelDialog
          onClose={() => setDialog(null)}
          onRegistered={(model) => {
            setDialog(null);
            showToast(`Registered ${model.name}`);
            void refresh();
          }}
        />
      ) : null}
      {dialog === 'download' ? (
        <DownloadDialog
          onClose={() => setDialog(null)}
          onStarted={(jobId) => {
            setDialog(null);
            onDownloadStarted(jobId);
          }}
        />
      ) : null}
      {dialog === 'mini' ? (
        <MiniVlmDialog
          onClose={() => setDialog(null)}
          onStarted={(jobId) => {
            setDialog(null);
            onMiniVlmStarted(jobId);
          }}
        />
      ) : null}
    </div>
  );
}
