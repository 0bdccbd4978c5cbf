/** Where one fine-tune job keeps its files: bundle/ (what trains), run/ (trainer output, live logs, pulled checkpoints). */
import { join } from 'node:path';

/** Where one fine-tune job keeps its bundle, prepared inputs and trainer output. */
export function finetuneJobDir(workspaceRoot: string, jobId: string): string {
  return join(workspaceRoot, 'finetunes', jobId);
}

/** run/: metrics.jsonl and train.log (written there locally, mirrored there from a remote backend), checkpoints/, artifacts/. */
export const finetuneRunDir = (workspaceRoot: string, jobId: string): string => join(finetuneJobDir(workspaceRoot, jobId), 'run');
