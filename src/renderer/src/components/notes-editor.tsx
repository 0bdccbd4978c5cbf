/** A sample's notes: saved by itself a moment after typing stops, and at once when the sample changes or the view closes. */
import { useEffect, useRef, useState } from 'react';
import type { Sample } from '../../../shared/domain';

/** Quiet time after the last keystroke before the note is saved. */
export const NOTE_AUTOSAVE_MS = 800;

interface NotesEditorProps {
  sample: Sample;
  onSave: (sample: Sample, notes: string) => Promise<void>;
}

/** Mount with key={sample.id}: unmounting (another sample focused) flushes an unsaved note. */
export function NotesEditor({ sample, onSave }: NotesEditorProps) {
  const [text, setText] = useState(sample.notes);
  const [saved, setSaved] = useState(sample.notes);
  const [saving, setSaving] = useState(false);
  // The stored note changed under us (undo, redo): follow it unless the user has unsaved typing.
  const [stored, setStored] = useState(sample.notes);
  if (sample.notes !== stored) {
    setStored(sample.notes);
    setSaved(sample.notes);
    if (text === saved) setText(sample.notes);
  }

  const unsaved = useRef<{ sample: Sample; text: string } | null>(null);
  const save = useRef(onSave);
  useEffect(() => {
    save.current = onSave;
  }, [onSave]);

  useEffect(() => {
    if (text === saved) {
      unsaved.current = null;
      return;
    }
    unsaved.current = { sample, text };
    const timer = setTimeout(() => {
      unsaved.current = null;
      setSaving(true);
      void save.current(sample, text).finally(() => {
        setSaving(false);
        setSaved(text);
      });
    }, NOTE_AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [text, saved, sample]);

  // Leaving this sample (or the view) with typing not yet saved: save it now.
  useEffect(
    () => () => {
      const pending = unsaved.current;
      if (pending) void save.current(pending.sample, pending.text);
    },
    [],
  );

  const state = saving ? 'Saving…' : text !== saved ? 'Unsaved — saves when you pause' : text ? 'Saved · Z to undo' : '';
  return (
    <div className="detail-notes">
      <label htmlFor="sample-notes">
        Notes <span className="muted small" data-testid="notes-state">{state}</span>
      </label>
      <textarea
        id="sample-notes"
        data-testid="detail-notes"
        value={text}
        rows={3}
        placeholder="Why this sample is tricky… (saved as you type)"
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}
