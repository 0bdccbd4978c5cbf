/** Resolves a parsed matrix config against a workspace (dataset → snapshot, model refs → registry) into batch parameters. */
import type { BatchPromptInput, CreateBatchParams } from '../../shared/eval-matrix';
import type { Db } from '../db/open-database';
import type { MatrixConfig } from './eval-matrix-config';
import { resolvePromptVersion } from '../prompts/prompt-store';
import { findDataset, findVersion, resolveModel } from './eval-config-resolve';

/** May register model folders on the fly, exactly like a single-run config does; `prompt_version` rows become saved version ids. */
export async function resolveMatrixConfig(db: Db, config: MatrixConfig, opts: { baseDir: string; name?: string }): Promise<CreateBatchParams> {
  const prompts = config.prompts.map((p): BatchPromptInput => (p.kind === 'version-ref' ? { kind: 'version', promptVersionId: resolvePromptVersion(db, p.ref).id } : p));
  const dataset = findDataset(db, config.dataset);
  const version = findVersion(db, dataset, config.datasetVersion);
  const modelIds: number[] = [];
  for (const ref of config.models) modelIds.push((await resolveModel(db, ref, opts.baseDir)).id);
  return {
    name: opts.name ?? config.name ?? `matrix · ${dataset.name}/${version.name}`,
    versionId: version.id,
    split: config.split,
    seed: config.seed,
    nSamples: config.nSamples,
    prompts,
    modelIds,
    modes: config.modes,
    ...(config.labels !== null ? { labels: config.labels } : {}),
    ...(config.device !== null ? { device: config.device } : {}),
    ...(config.dtype !== null ? { dtype: config.dtype } : {}),
  };
}
