/** Turns a parsed seeds' fine-tune YAML into a spec against this workspace: model_name → a registered base, a workspace dataset → its snapshot. */
import { finetuneSpecSchema, type FinetuneKeyWarning, type FinetuneSpec } from '../../shared/finetune-types';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../shared/prompt-template';
import type { Db } from '../db/open-database';
import { StudioError } from '../errors';
import { findDataset, findVersion, resolveModel } from '../evals/eval-config-resolve';
import type { FinetuneYaml } from './finetune-yaml';

export interface FinetuneResolveOptions {
  /** Overrides model_name (a registered model name, Hub repo id of a registered download, or a local folder). */
  base?: string;
  /** The workspace dataset (the seeds' dataset_name is a Hub id, moot for a snapshot, used only when it names a workspace dataset). */
  dataset?: string;
  /** Snapshot name; default the dataset's latest. */
  version?: string;
  outputName?: string;
  baseDir: string;
}

export async function resolveFinetuneYaml(db: Db, c: FinetuneYaml, opts: FinetuneResolveOptions): Promise<{ spec: FinetuneSpec; warnings: FinetuneKeyWarning[] }> {
  const baseRef = opts.base ?? c.modelName;
  if (!baseRef) throw new StudioError('invalid-args', 'No base model: set model_name in the YAML or pass --base MODEL');
  const base = await resolveModel(db, baseRef, opts.baseDir);
  const datasetName = opts.dataset ?? c.datasetName;
  if (!datasetName) throw new StudioError('invalid-args', 'No dataset: pass --dataset NAME (a workspace dataset with a snapshot)');
  const dataset = findDataset(db, datasetName);
  const version = findVersion(db, dataset, opts.version ?? null);
  const spec = finetuneSpecSchema.parse({
    baseModelId: base.id,
    versionId: version.id,
    ...(opts.outputName ? { outputName: opts.outputName } : {}),
    systemPrompt: c.systemPrompt ?? DEFAULT_SYSTEM_PROMPT,
    userPrompt: c.userPrompt ?? DEFAULT_USER_PROMPT,
    labels: c.labels,
    hyperparams: c.hyperparams,
  });
  const warnings = c.warnings.map((w) =>
    w.key === 'dataset_name' && opts.dataset ? { ...w, message: `${w.message}; --dataset ${opts.dataset} (snapshot "${version.name}") is used` } : w,
  );
  return { spec, warnings };
}
