/** Execution providers and their plain-language states, defined once for main, the CLI and the renderer. */
import type { EvalDevice } from './eval-types';

/** What stands between a provider and a working session, most fundamental first. */
export const PROVIDER_STATES = ['available', 'unsupported', 'no-driver', 'needs-runtime', 'failed'] as const;
export type ProviderState = (typeof PROVIDER_STATES)[number];

/** The one short label each state shows (device list, new-eval form, CLI). */
export const PROVIDER_STATE_LABELS: Record<ProviderState, string> = {
  available: 'available',
  unsupported: 'not supported on this platform',
  'no-driver': 'no NVIDIA driver found',
  'needs-runtime': 'needs the CUDA runtime download',
  failed: 'failed',
};

/** Runtimes the studio can install on request (CUDA execution provider libraries). */
export const RUNTIME_NAMES = ['cuda'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** The optional download that enables a provider, and whether it is on disk. */
export interface RuntimeInfo {
  name: RuntimeName;
  installed: boolean;
  /** The installer exists for this platform (onnxruntime-node ships one for Linux x64 only). */
  installable: boolean;
  /** Files the provider needs that are not on disk yet (file names only). */
  missing: string[];
}

export interface DeviceStatus {
  device: EvalDevice;
  available: boolean;
  state: ProviderState;
  /** One plain-language line: why the provider cannot run, or what it runs on. Never a stack. */
  reason?: string;
  /** The runtime's full message, shown behind a "details" toggle. */
  details?: string;
  runtime?: RuntimeInfo;
}

/** What a runtime install job returns. */
export interface RuntimeInstallResult {
  runtime: RuntimeName;
  installedFiles: string[];
  /** The provider's state right after the install (e.g. still 'no-driver' on a machine without a GPU). */
  status: DeviceStatus;
}
