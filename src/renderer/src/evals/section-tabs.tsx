/** The Data / Models / Evals / Fine-tunes switch at the top of the sidebar (a tablist: Tab to reach, arrows to move). */
import { useRef, type KeyboardEvent } from 'react';
import '../styles/models.css';
import { SECTIONS, type Section } from './use-sections';

interface SectionTabsProps {
  section: Section;
  onSection: (section: Section) => void;
}

export function SectionTabs({ section, onSection }: SectionTabsProps) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const index = SECTIONS.findIndex((s) => s.id === section);
    const next = SECTIONS[(index + step + SECTIONS.length) % SECTIONS.length];
    onSection(next.id);
    refs.current[SECTIONS.indexOf(next)]?.focus();
  };
  return (
    <div className="section-tabs" role="tablist" aria-label="Studio section" onKeyDown={onKeyDown}>
      {SECTIONS.map((s, i) => (
        <button
          key={s.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          aria-selected={s.id === section}
          tabIndex={s.id === section ? 0 : -1}
          className={`section-tab${s.id === section ? ' active' : ''}`}
          data-testid={`section-${s.id}`}
          onClick={() => onSection(s.id)}
        >
          {s.label}
        </button>
      ))}
    </div>
  );
}
