/** Stable per-class colours (by class position) so a label looks the same in table, grid and chart. */
const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626', '#4b5563'];

export function classColor(position: number | undefined): string {
  if (position === undefined || position < 0) return 'var(--muted)';
  return PALETTE[position % PALETTE.length];
}
