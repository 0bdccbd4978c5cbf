/** Modal shell shared by every dialog: backdrop, title, body, footer, and a modal key layer (Esc closes; no key leaks below). */
import type { ReactNode } from 'react';
import { useKeyLayer, type KeyHandler } from '../keys/key-layers';

interface ModalProps {
  title: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** Dialog-specific keys (Escape is already handled). */
  onKey?: KeyHandler;
}

export function Modal({ title, testId, onClose, children, footer, wide, onKey }: ModalProps) {
  useKeyLayer(
    (event) => {
      if (event.key === 'Escape') {
        onClose();
        return true;
      }
      return onKey ? onKey(event) : false;
    },
    { modal: true },
  );
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer ? <footer className="modal-foot">{footer}</footer> : null}
      </div>
    </div>
  );
}
