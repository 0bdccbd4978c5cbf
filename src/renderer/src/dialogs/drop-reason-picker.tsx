/** Drop-reason picker opened by D: number keys pick a preset reason at once; free text + Enter also works. */
import { useState, type KeyboardEvent } from 'react';
import { DROP_REASONS } from '../../../shared/domain';
import { digitOf } from '../lib/keys';
import { Modal } from './modal';

interface DropReasonPickerProps {
  count: number;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}

export function DropReasonPicker({ count, onClose, onConfirm }: DropReasonPickerProps) {
  const [highlight, setHighlight] = useState(0);
  const [text, setText] = useState('');
  const confirm = (reason: string) => {
    const value = reason.trim();
    if (value) onConfirm(value);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const digit = digitOf(event.nativeEvent);
    if (text === '' && digit !== null && digit >= 1 && digit <= DROP_REASONS.length) {
      event.preventDefault();
      confirm(DROP_REASONS[digit - 1]);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const delta = event.key === 'ArrowDown' ? 1 : -1;
      setHighlight((h) => (h + delta + DROP_REASONS.length) % DROP_REASONS.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      confirm(text || DROP_REASONS[highlight]);
    }
  };

  return (
    <Modal title={`Drop ${count === 1 ? 'sample' : `${count} samples`}`} testId="drop-reason-picker" onClose={onClose}>
      <ol className="reason-list">
        {DROP_REASONS.map((reason, i) => (
          <li key={reason}>
            <button
              type="button"
              className={`reason-option${i === highlight && !text ? ' highlighted' : ''}`}
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
        placeholder="…or type another reason, Enter to drop"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <p className="hint">
        <kbd>1</kbd>–<kbd>{DROP_REASONS.length}</kbd> pick · <kbd>↑</kbd>
        <kbd>↓</kbd> move · <kbd>Enter</kbd> drop · <kbd>Esc</kbd> cancel. Dropped samples are kept (greyed) and can be restored with{' '}
        <kbd>R</kbd>.
      </p>
    </Modal>
  );
}
