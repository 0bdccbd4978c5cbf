/** The seeds' YAML in and out: paste or open a config (each key's fate shown: mapped / moot), export the form as YAML to download or copy. */
import { useRef, useState } from 'react';
import type { FinetuneKeyWarning } from '../../../shared/finetune-types';
import type { FinetuneYamlImport } from '../../../shared/ipc-contract-finetunes';
import { useStudio } from '../state/studio-context';
import { parseHyperparams, splitList, type NewFinetuneForm } from './new-finetune-state';

interface YamlPanelProps {
  form: NewFinetuneForm;
  /** The base's name for model_name (its Hub repo id when it has one). */
  modelName: string | null;
  onImported: (imp: FinetuneYamlImport, text: string) => string | null;
}

export function KeyWarnings({ warnings, testId }: { warnings: FinetuneKeyWarning[]; testId: string }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="nf-warnings" data-testid={testId}>
      {warnings.map((w) => (
        <li key={`${w.key}:${w.message}`} data-key={w.key} data-fate={w.fate}>
          <span className={`nf-fate nf-fate-${w.fate}`}>{w.fate}</span>
          <code>{w.key}</code> <span>{w.message}</span>
        </li>
      ))}
    </ul>
  );
}

export function YamlPanel({ form, modelName, onImported }: YamlPanelProps) {
  const { api } = useStudio();
  const [tab, setTab] = useState<'import' | 'export'>('import');
  const [text, setText] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<{ warnings: FinetuneKeyWarning[]; note: string | null } | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  const importText = async (yaml: string) => {
    setFailure(null);
    setResult(null);
    try {
      const imp = await api.finetunes.importYaml({ yaml });
      setResult({ warnings: imp.warnings, note: onImported(imp, yaml) });
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };
  const exportYaml = async () => {
    setFailure(null);
    setCopied(false);
    const { value: hyperparams } = parseHyperparams(form.hp);
    if (!hyperparams) {
      setFailure('Fix the hyperparameters marked in red first: the YAML carries every key.');
      return;
    }
    const labels = splitList(form.labels);
    try {
      const { yaml } = await api.finetunes.exportYaml({
        modelName,
        labels: labels.length > 0 ? labels : null,
        systemPrompt: form.systemPrompt,
        userPrompt: form.userPrompt,
        hyperparams,
        ...(form.yamlSource !== null ? { source: form.yamlSource } : {}),
      });
      setExported(yaml);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };
  const download = () => {
    if (exported === null) return;
    const url = URL.createObjectURL(new Blob([exported], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'finetune.yaml';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const copy = async () => {
    if (exported === null) return;
    try {
      await navigator.clipboard.writeText(exported);
      setCopied(true);
    } catch (e) {
      setFailure(`Copying failed (${e instanceof Error ? e.message : String(e)}); select the text and copy it instead.`);
    }
  };

  return (
    <div className="nf-yaml" data-testid="yaml-panel">
      <div className="nf-tabs">
        <button type="button" className={tab === 'import' ? 'on' : ''} data-testid="yaml-tab-import" onClick={() => setTab('import')}>
          Import a seeds’ YAML
        </button>
        <button
          type="button"
          className={tab === 'export' ? 'on' : ''}
          data-testid="yaml-tab-export"
          onClick={() => {
            setTab('export');
            void exportYaml();
          }}
        >
          Export as YAML
        </button>
      </div>
      {tab === 'import' ? (
        <>
          <textarea
            rows={5}
            className="mono"
            data-testid="yaml-input"
            placeholder={'Paste a finetune.yaml (the seeds’ keys: model_name, label_mapping, system_prompt, user_prompt, learning_rate, lora_r, …)'}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="nf-inline-actions">
            <input
              ref={file}
              type="file"
              accept=".yaml,.yml,text/yaml"
              hidden
              data-testid="yaml-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void f.text().then((t) => (setText(t), importText(t)));
                e.target.value = '';
              }}
            />
            <button type="button" onClick={() => file.current?.click()}>
              Open file…
            </button>
            <button type="button" className="primary" data-testid="yaml-import" disabled={text.trim() === ''} onClick={() => void importText(text)}>
              Import
            </button>
          </div>
          {result ? (
            <div className="nf-import-result" data-testid="yaml-import-result">
              <p>Imported: the prompts, labels and hyperparameters below now come from this YAML.</p>
              {result.note ? (
                <p className={result.note.includes('not a registered model') ? 'nf-note warn' : 'nf-note'} data-testid="yaml-model-note">
                  {result.note}
                </p>
              ) : null}
              <KeyWarnings warnings={result.warnings} testId="yaml-warnings" />
            </div>
          ) : null}
        </>
      ) : (
        <>
          <pre className="nf-yaml-out" data-testid="yaml-output">
            {exported ?? 'Building the YAML…'}
          </pre>
          <div className="nf-inline-actions">
            {copied ? <span className="hint">Copied.</span> : null}
            <button type="button" data-testid="yaml-copy" disabled={exported === null} onClick={() => void copy()}>
              Copy
            </button>
            <button type="button" className="primary" data-testid="yaml-download" disabled={exported === null} onClick={download}>
              Download finetune.yaml
            </button>
          </div>
        </>
      )}
      {failure ? (
        <p className="form-error" data-testid="yaml-error">
          {failure}
        </p>
      ) : null}
    </div>
  );
}
