/** Prompts: the saved prompts, one prompt's version history, a draft of its next version, and the diff of two versions. */
import { useMemo, useState } from 'react';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../../shared/prompt-template';
import type { PromptVersion } from '../../../shared/prompt-types';
import { plural } from '../lib/format';
import { useDatasetMeta } from '../state/use-dataset-meta';
import { PromptDiffView } from './prompt-diff-view';
import { usePromptDetail, usePromptList } from './use-prompts';
import { VersionEditor } from './version-editor';
import { VersionHistory } from './version-history';
import '../styles/prompts.css';

interface PromptsScreenProps {
  datasetId: number;
  datasetName: string | null;
  onBack: () => void;
}

type Pane = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; from: PromptVersion | null } | { kind: 'diff'; aId: number; bId: number };

const DEFAULT_BASE = { systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: DEFAULT_USER_PROMPT, labelDescriptions: {} };

export function PromptsScreen({ datasetId, datasetName, onBack }: PromptsScreenProps) {
  const { prompts, loaded } = usePromptList();
  const { classes } = useDatasetMeta(datasetId);
  const labels = useMemo(() => classes.map((c) => c.name), [classes]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const selected = prompts.find((p) => p.id === selectedId) ?? prompts.find((p) => !p.adHoc) ?? null;
  const detail = usePromptDetail(selected?.id ?? null);
  const [pane, setPane] = useState<Pane>({ kind: 'none' });
  const [picked, setPicked] = useState<number[]>([]);
  const versions = detail?.versions ?? [];
  const newest = versions[0];
  const select = (id: number) => {
    setSelectedId(id);
    setPicked([]);
    setPane({ kind: 'none' });
  };
  const byId = (id: number) => versions.find((v) => v.id === id);
  const diffA = pane.kind === 'diff' ? byId(pane.aId) : undefined;
  const diffB = pane.kind === 'diff' ? byId(pane.bId) : undefined;

  return (
    <div className="prompts-page" data-testid="prompts-screen">
      <header className="page-header">
        <div>
          <button type="button" className="link small" data-testid="prompts-back" onClick={onBack}>
            ← Evals
          </button>
          <h1>Prompts</h1>
          <span className="muted">Named prompts with numbered versions; every eval run records the version it used. Previews use the classes of {datasetName ?? 'this dataset'}.</span>
        </div>
        <div className="page-header-actions">
          <button type="button" className="primary" data-testid="prompt-new" onClick={() => setPane({ kind: 'new' })}>
            New prompt…
          </button>
        </div>
      </header>
      <div className="prompts-body">
        <nav className="panel-card prompt-list" data-testid="prompt-list">
          {loaded && prompts.length === 0 ? <p className="muted small">No prompts yet. Save one with “New prompt…”, or start an eval: the text it uses is kept under “unsaved”.</p> : null}
          {prompts.map((p) => (
            <button
              key={p.id}
              type="button"
              className={`prompt-list-item${p.id === selected?.id ? ' active' : ''}${p.adHoc ? ' ad-hoc' : ''}`}
              data-testid="prompt-list-item"
              data-name={p.name}
              onClick={() => select(p.id)}
            >
              <span className="prompt-list-name">{p.adHoc ? 'Unsaved (used by runs)' : p.name}</span>
              <span className="muted small">
                {plural(p.versionCount, 'version')}
                {p.latest ? ` · latest v${p.latest.number}` : ''}
              </span>
            </button>
          ))}
        </nav>
        <div className="prompt-main">
          {pane.kind === 'new' ? (
            <VersionEditor
              key="new"
              promptId={null}
              base={DEFAULT_BASE}
              nextNumber={1}
              labels={labels}
              datasetId={datasetId}
              onCancel={() => setPane({ kind: 'none' })}
              onSaved={(r) => {
                select(r.version.promptId);
              }}
            />
          ) : null}
          {detail && pane.kind !== 'new' ? (
            <>
              <div className="prompt-title-row">
                <h2 data-testid="prompt-title">{detail.prompt.adHoc ? 'Unsaved prompts' : detail.prompt.name}</h2>
                {detail.prompt.adHoc ? (
                  <span className="muted small">Texts runs used without a saved version (CLI, YAML, edited drafts), found again by exact content.</span>
                ) : pane.kind !== 'edit' ? (
                  <button type="button" className="small" data-testid="prompt-new-version" onClick={() => setPane({ kind: 'edit', from: newest ?? null })}>
                    New version…
                  </button>
                ) : null}
              </div>
              {pane.kind === 'diff' && diffA && diffB ? <PromptDiffView a={diffA} b={diffB} labels={labels} onClose={() => setPane({ kind: 'none' })} /> : null}
              {pane.kind === 'edit' && !detail.prompt.adHoc ? (
                <VersionEditor
                  key={`edit-${pane.from?.id ?? 0}`}
                  promptId={detail.prompt.id}
                  base={pane.from ?? DEFAULT_BASE}
                  nextNumber={(newest?.number ?? 0) + 1}
                  labels={labels}
                  datasetId={datasetId}
                  onCancel={() => setPane({ kind: 'none' })}
                  onSaved={() => setPane({ kind: 'none' })}
                />
              ) : null}
              <VersionHistory
                versions={versions}
                picked={picked}
                readOnly={detail.prompt.adHoc}
                onTogglePick={(id) => setPicked((prev) => (prev.includes(id) ? prev.filter((p) => p !== id) : [...prev.slice(-1), id]))}
                onDiff={() => {
                  // Older version on the left, whatever order they were ticked in.
                  const [x, y] = [...picked].sort((m, n) => (byId(m)?.number ?? 0) - (byId(n)?.number ?? 0));
                  setPane({ kind: 'diff', aId: x, bId: y });
                }}
                onEditFrom={(v) => setPane({ kind: 'edit', from: v })}
              />
            </>
          ) : null}
        </div>
      </div>
    </div>
  );
}
