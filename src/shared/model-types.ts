/** What the studio knows about a model folder (inspection result) and a Hub download, shared by main and renderer. */
import type { FinetuneLineage } from './finetune-types';

export type ModelKind = 'vlm' | 'onnx-classifier';

/** transformers.js dtype names, each mapped to an ONNX file-name suffix in the main process. */
export const MODEL_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type ModelDtype = (typeof MODEL_DTYPES)[number];

export function isModelDtype(value: string): value is ModelDtype {
  return (MODEL_DTYPES as readonly string[]).includes(value);
}

/** Architectures (config.json model_type) the studio can run; tests/unit/vlm-architectures.test.ts keeps it equal to the registry. */
export const SUPPORTED_VLM_TYPES = ['lfm2_vl', 'smolvlm', 'idefics3'] as const;
export type SupportedVlmType = (typeof SUPPORTED_VLM_TYPES)[number];

export interface ModelFileInfo {
  /** Relative to the model folder, '/' separated. */
  path: string;
  bytes: number;
}

export interface ModelProvenance {
  /** finetune: trained by a studio fine-tune job (lineage in `finetune`). */
  source: 'local' | 'hub' | 'finetune';
  repoId?: string;
  revision?: string;
  /** Commit the Hub resolved the revision to, when it said so. */
  commit?: string;
  /** From adapter_config.json base_model_name_or_path, config.json base_model, or README front matter base_model. */
  baseModel?: string;
  finetune?: FinetuneLineage;
}

export interface ClassifierInfo {
  /** The single .onnx graph at the folder's top level. */
  onnxFile: string;
  /** Number of class names in labels.txt (0 when the file is missing or unreadable). */
  labelCount: number;
}

export interface ModelInspection {
  /** Null when the folder is neither a VLM nor an ONNX classifier folder. */
  kind: ModelKind | null;
  /** config.json model_type (null for classifiers or when unreadable). */
  architecture: string | null;
  /** True when the studio can load the model: known architecture, required files present, at least one complete dtype. */
  supported: boolean;
  /** One line for the UI: what was found, or the main reason it can't be used. */
  supportReason: string;
  /** Dtype variants whose three sessions (and their external data) are all present. */
  dtypes: ModelDtype[];
  files: ModelFileInfo[];
  totalBytes: number;
  /** Bytes of each complete dtype's ONNX sessions plus their external data (shared JSON files not included). */
  bytesByDtype: Partial<Record<ModelDtype, number>>;
  /** Human explanations of everything wrong or missing; empty for a clean folder. */
  problems: string[];
  provenance: ModelProvenance;
  /** Present for kind 'onnx-classifier'. */
  classifier?: ClassifierInfo;
}

/** Written by the downloader as studio-model.json inside a downloaded model folder. */
export interface StudioModelRecord {
  repoId: string;
  revision: string;
  commit?: string;
  endpoint: string;
  /** The dtype of the latest download. */
  dtype: ModelDtype;
  /** Every dtype downloaded into this folder so far. */
  dtypes: ModelDtype[];
  downloadedAt: string;
  files: { path: string; size: number; sha256: string; oid: string }[];
}
