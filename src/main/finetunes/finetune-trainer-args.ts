/** The trainer command line every backend runs inside the bundle (kept apart from the heavy preparation code so the studio's main process loads it cheaply). */
import { BUNDLE_CONFIG } from './finetune-bundle';
import { MOBILENET_FILE } from './mini-vlm';

/** The trainer's own folder inside the bundle: the command runs from there, every other path is relative to it. */
export const BUNDLE_TRAINER_CWD = 'trainer';

/** `python <args>` run in <bundle>/trainer: `train` (LFM2-VL LoRA) or `mini` (MobileNetV2 + projector + LoRA LM), writing into `out`, continuing from the bundle's `resume` checkpoint when given. */
export function trainerArgs(mini: boolean, out: string, resume?: string | null): string[] {
  const args = ['-m', 'lfm2vl_trainer', mini ? 'mini' : 'train', '--base', '../base', '--inputs', '../inputs', '--config', `../${BUNDLE_CONFIG}`, '--out', out];
  if (mini) args.push('--mobilenet', `../mobilenet/${MOBILENET_FILE}`);
  // A checkpoint shipped in the bundle (remote resume), relative to the bundle.
  if (resume) args.push('--resume', `../${resume}`);
  return args;
}
