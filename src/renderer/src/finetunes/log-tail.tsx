/** The live tail of train.log, kept scrolled to the bottom unless the reader scrolled up. */
import { useEffect, useRef } from 'react';
import type { LogTail } from './use-finetunes';

export function LogTailView({ log }: { log: LogTail | undefined }) {
  const ref = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [log?.text]);
  const onScroll = () => {
    const el = ref.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };
  return (
    <section className="panel-card log-card">
      <div className="panel-title-row">
        <h3>train.log</h3>
        <span className="muted small" data-testid="log-bytes">
          {log ? `${log.nextOffset.toLocaleString()} bytes${log.trimmed ? ' · older lines trimmed' : ''}` : 'reading…'}
        </span>
      </div>
      <pre ref={ref} className="log-tail" data-testid="log-tail" onScroll={onScroll}>
        {log && log.text !== '' ? log.text : 'The trainer has not written to train.log yet.'}
      </pre>
    </section>
  );
}
