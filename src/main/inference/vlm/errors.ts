/** Typed engine errors: the UI shows `message` and branches on `reason` (e.g. to offer the CPU fallback). */
import { StudioError } from '../../errors';

export type VlmErrorReason =
  | 'missing-files'
  | 'bad-config'
  | 'unsupported-arch'
  | 'device-unavailable'
  | 'bad-labels'
  | 'load-failed';

export class VlmError extends StudioError {
  constructor(
    readonly reason: VlmErrorReason,
    message: string,
    /** For 'missing-files': the folder-relative paths that are absent. */
    readonly missing: string[] = [],
  ) {
    super(reason === 'device-unavailable' || reason === 'load-failed' ? 'failed' : 'invalid-args', message);
    this.name = 'VlmError';
  }
}
