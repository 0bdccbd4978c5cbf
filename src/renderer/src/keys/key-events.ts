/** Keyboard helpers: decide when global studio shortcuts must stay out of the way of text entry. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(type);
}

/** 1..9 from a key event ("Digit1" also covers AZERTY layouts), or null. */
export function digitOf(event: KeyboardEvent): number | null {
  const fromCode = /^(?:Digit|Numpad)(\d)$/.exec(event.code);
  if (fromCode) return Number(fromCode[1]);
  if (/^\d$/.test(event.key)) return Number(event.key);
  return null;
}
