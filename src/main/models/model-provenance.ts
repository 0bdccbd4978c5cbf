/** Where a model folder came from: the downloader's studio-model.json, and the base model its files name. */
import type { ModelProvenance } from '../../shared/model-types';
import { readJsonObject, readTextFile } from './model-folder-files';

export const STUDIO_MODEL_FILE = 'studio-model.json';

/** config is config.json when it parsed (null otherwise). Never throws. */
export async function readProvenance(dir: string, config: Record<string, unknown> | null): Promise<ModelProvenance> {
  const provenance: ModelProvenance = { source: 'local' };
  const record = await readJsonObject(dir, STUDIO_MODEL_FILE, '');
  if (record.ok && typeof record.value.repoId === 'string') {
    provenance.source = 'hub';
    provenance.repoId = record.value.repoId;
    if (typeof record.value.revision === 'string') provenance.revision = record.value.revision;
    if (typeof record.value.commit === 'string') provenance.commit = record.value.commit;
  }
  const baseModel = await findBaseModel(dir, config);
  if (baseModel) provenance.baseModel = baseModel;
  return provenance;
}

async function findBaseModel(dir: string, config: Record<string, unknown> | null): Promise<string | undefined> {
  const adapter = await readJsonObject(dir, 'adapter_config.json', '');
  if (adapter.ok && nonEmpty(adapter.value.base_model_name_or_path)) return adapter.value.base_model_name_or_path as string;
  if (config && nonEmpty(config.base_model)) return config.base_model as string;
  const readme = await readTextFile(dir, 'README.md');
  return readme.ok ? readmeBaseModel(readme.text) : undefined;
}

/** base_model from a model card's YAML front matter: `base_model: x`, or the first item of a list. */
export function readmeBaseModel(readme: string): string | undefined {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme.replace(/^\uFEFF/, ''));
  if (!front) return undefined;
  const lines = front[1].split(/\r?\n/);
  const at = lines.findIndex((l) => /^base_model\s*:/.test(l));
  if (at < 0) return undefined;
  const inline = unquote(lines[at].replace(/^base_model\s*:/, '').trim());
  if (inline.startsWith('[')) return unquote(inline.slice(1).split(/[,\]]/)[0].trim()) || undefined;
  if (inline !== '') return inline;
  const item = /^\s*-\s*(.+)$/.exec(lines[at + 1] ?? '');
  return item ? unquote(item[1].trim()) || undefined : undefined;
}

function unquote(s: string): string {
  return s.replace(/^(['"])(.*)\1$/, '$2');
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}
