/** Reads the kind-specific `result` of a finished job (typed `unknown` on the wire) defensively. */
import type { ExportResult } from '../../../shared/domain';

/** Import jobs report the ImportReport id, either bare or as { reportId } / { id }. */
export function importReportId(result: unknown): number | null {
  if (typeof result === 'number') return result;
  if (result && typeof result === 'object') {
    const r = result as Record<string, unknown>;
    for (const key of ['reportId', 'id', 'importReportId']) {
      if (typeof r[key] === 'number') return r[key] as number;
    }
  }
  return null;
}

/** Import results sometimes carry the dataset id too. */
export function importDatasetId(result: unknown): number | null {
  if (result && typeof result === 'object') {
    const value = (result as Record<string, unknown>).datasetId;
    if (typeof value === 'number') return value;
  }
  return null;
}

export function exportResult(result: unknown): ExportResult | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as Partial<ExportResult>;
  if (typeof r.destination !== 'string') return null;
  return {
    destination: r.destination,
    files: Array.isArray(r.files) ? r.files : [],
    sampleCount: typeof r.sampleCount === 'number' ? r.sampleCount : 0,
  };
}

/** Eval jobs finish with { runId, status }. */
export function evalRunId(result: unknown): number | null {
  if (result && typeof result === 'object') {
    const value = (result as Record<string, unknown>).runId;
    if (typeof value === 'number') return value;
  }
  return null;
}

/** Model downloads finish with the RegisteredModel they registered. */
export function downloadedModelName(result: unknown): string | null {
  if (result && typeof result === 'object') {
    const value = (result as Record<string, unknown>).name;
    if (typeof value === 'string') return value;
  }
  return null;
}

/** Runtime installs finish with { runtime, status }: say what the provider can do now. */
export function runtimeInstallLine(result: unknown): string | null {
  if (!result || typeof result !== 'object') return null;
  const status = (result as { status?: { available?: unknown; reason?: unknown } }).status;
  if (!status || typeof status !== 'object') return null;
  const reason = typeof status.reason === 'string' ? status.reason : '';
  return status.available === true ? 'CUDA runtime installed — CUDA is available' : `CUDA runtime installed; CUDA still cannot run: ${reason}`;
}
