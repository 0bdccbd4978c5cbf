/**
 * What the fine-tune pipeline hands the Modal executor: the trainer command for a staged upload folder (the base
 * PyTorch folder, prepared inputs, finetune.yaml and the trainer package), run with the trainer package importable,
 * offline, and writing the checkpoint contract's out/ — so the modal branch of the pipeline is one call.
 */
import type { FinetuneBackend } from '../../shared/finetune-types';
import { readGpuRequirements, type ModalJobCommand } from './modal-app-file';
import type { ModalToken } from './modal-cli';
import type { ModalExecutorOptions } from './modal-executor';

/** Where things sit inside the uploaded folder (it becomes <job>/bundle on the volume). */
export interface ModalTrainerLayout {
  mode: 'train' | 'mini';
  /** The base LFM2-VL PyTorch folder (default base). */
  base?: string;
  /** trainer/studio/prepare-inputs.ts output (default inputs). */
  inputs?: string;
  /** The seeds' YAML (default finetune.yaml). */
  config?: string;
  /** The trainer folder holding the lfm2vl_trainer package (default trainer). */
  trainer?: string;
  /** mini only: the frozen MobileNetV2 ONNX (default mobilenet.onnx). */
  mobilenet?: string;
  /** Continue from a checkpoint shipped inside the uploaded folder (e.g. resume/checkpoints/step-40), relative to it. */
  resume?: string | null;
}

/** The exact trainer command the GPU container runs (paths absolute through {job_dir}). */
export function modalTrainerCommand(layout: ModalTrainerLayout): ModalJobCommand {
  const b = (rel: string): string => `{job_dir}/bundle/${rel}`;
  const trainer = b(layout.trainer ?? 'trainer');
  const argv = ['python', '-m', 'lfm2vl_trainer', layout.mode, '--base', b(layout.base ?? 'base')];
  if (layout.mode === 'mini') argv.push('--mobilenet', b(layout.mobilenet ?? 'mobilenet.onnx'));
  argv.push('--inputs', b(layout.inputs ?? 'inputs'), '--config', b(layout.config ?? 'finetune.yaml'), '--out', '{job_dir}/out');
  if (layout.resume) {
    if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\/step-\d+$/.test(layout.resume)) throw new Error(`not a checkpoint reference: ${layout.resume}`);
    argv.push('--resume', b(layout.resume));
  }
  return { argv, cwd: trainer, env: { PYTHONPATH: trainer, HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' } };
}

type ModalBackend = Extract<FinetuneBackend, { kind: 'modal' }>;

/** The executor options for a fine-tune on Modal; the caller stages the upload folder and keeps the token in memory. */
export function modalFinetuneOptions<P>(opts: {
  trainerDir: string;
  uploadDir(params: P): string;
  layout(params: P): ModalTrainerLayout;
  backend(params: P): ModalBackend;
  token?(params: P): ModalToken | undefined;
  modalBin?: string;
  volume?: string;
  pollMs?: number;
}): ModalExecutorOptions<P> {
  let pins: string[] | null = null;
  return {
    bundleDir: opts.uploadDir,
    trainerArgs: (p) => modalTrainerCommand(opts.layout(p)),
    gpu: (p) => opts.backend(p).gpu,
    timeoutMinutes: (p) => opts.backend(p).timeoutMinutes,
    requirements: () => (pins ??= readGpuRequirements(opts.trainerDir)),
    token: opts.token,
    modalBin: opts.modalBin,
    volume: opts.volume,
    pollMs: opts.pollMs,
  };
}
