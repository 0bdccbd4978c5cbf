/**
 * Drop-reason picker opened by D. The text field takes everything typed: a lone preset number + Enter picks that
 * preset, any other text ("64x48 thumbnail, unusable") is the reason itself, so nothing typed is misread or leaks out.
 */
import { useState } from 'react';
import { DROP_REASONS } from '../../../shared/domain';
import { Modal } from './modal';

interface DropReasonPickerProps {
  count: number;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}

/** The preset a lone number stands for ("3" → the third reason), or null for free text. */
export function presetFor(text: string): string | null {
  const match = /^\s*(\d)\s*$/.exec(text);
  if (!match) return null;
  return DROP_REASONS[Number(match[1]) - 1] ?? null;
}

export function DropReasonPicker({ count, onClose, onConfirm }: DropReasonPickerProps) {
  const [highlight, setHighlight] = useState(0);
  const [text, setText] = useState('');
  const preset = presetFor(text);
  const chosen = text.trim() === '' ? DROP_REASONS[highlight] : (preset ?? text.trim());
  const confirm = (reason: string) => {
    const value = reason.trim();
    if (value) onConfirm(value);
  };

  const onKey = (event: KeyboardEvent): boolean => {
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && text === '') {
      const delta = event.key === 'ArrowDown' ? 1 : -1;
      setHighlight((h) => (h + delta + DROP_REASONS.length) % DROP_REASONS.length);
      return true;
    }
    if (event.key === 'Enter') {
      confirm(chosen);
      return true;
    }
    return false;
  };

  return (
    <Modal title={`Drop ${count === 1 ? 'sample' : `${count} samples`}`} testId="drop-reason-picker" onClose={onClose} onKey={onKey}>
      <ol className="reason-list">
        {DROP_REASONS.map((reason, i) => (
          <li key={reason}>
            <button
              type="button"
              className={`reason-option${reason === chosen ? ' highlighted' : ''}`}
              data-testid="drop-reason-option"
              onMouseEnter={() => setHighlight(i)}
              onClick={() => confirm(reason)}
            >
              <kbd>{i + 1}</kbd> {reason}
            </button>
          </li>
        ))}
      </ol>
      <input
        autoFocus
        className="reason-text"
        data-testid="drop-reason-text"
        placeholder="Type a number, or your own reason"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <p className="hint" data-testid="drop-reason-preview">
        <kbd>Enter</kbd> drops as “{chosen}” · <kbd>↑</kbd>
        <kbd>↓</kbd> move · <kbd>Esc</kbd> cancel. Dropped samples are kept (greyed) and can be restored with <kbd>R</kbd>.
      </p>
    </Modal>
  );
}
