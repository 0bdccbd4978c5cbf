/** The visible, dismissible error banner and the transient action toast. */
import type { ErrorNotice } from '../state/notices';

export function ErrorBanner({ errors, onDismiss }: { errors: ErrorNotice[]; onDismiss: (id: number) => void }) {
  if (errors.length === 0) return null;
  return (
    <div className="error-stack" role="alert">
      {errors.map((e) => (
        <div key={e.id} className="error-banner" data-testid="error-banner">
          <span className="error-icon">!</span>
          <span className="error-text">
            <strong>{e.context} failed.</strong> {e.message}
          </span>
          <button type="button" className="icon-button" aria-label="Dismiss error" data-testid="error-dismiss" onClick={() => onDismiss(e.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function Toast({ toast }: { toast: { id: number; text: string } | null }) {
  if (!toast) return null;
  return (
    <div key={toast.id} className="toast" role="status" data-testid="toast">
      {toast.text}
    </div>
  );
}
