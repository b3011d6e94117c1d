// Types for the reports (api/openapi.yaml: ReportTable). A suppressed cell
// has value null: it is never shown as a number.

export interface ReportCell { value: number | null; suppressed?: boolean }
export interface ReportRow { key: string; label: string; cells: ReportCell[]; total: ReportCell }
export interface ReportTable { name: string; unit?: string; columns: string[]; rows: ReportRow[]; totals: ReportCell[]; grand_total: ReportCell }
export interface MedianRow { key: string; label: string; days: number | null; suppressed?: boolean }
export interface Report {
  report: string;
  from: string;
  to: string;
  group_by: string;
  threshold: number;
  exact?: boolean;
  tables: ReportTable[];
  top?: Record<string, string[]>;
  median_days_referral_to_appointment?: MedianRow[];
}

export const groupBys = ['team', 'municipality', 'neighbourhood', 'fund', 'day', 'week', 'month', 'quarter', 'year', 'none'] as const;

/** Report parameters from and to the address bar, so a view can be shared. */
export function readParams(search: string): { from: string; to: string; group_by: string } {
  const q = new URLSearchParams(search);
  return { from: q.get('from') ?? '', to: q.get('to') ?? '', group_by: q.get('group_by') ?? 'team' };
}

export function writeParams(p: { from: string; to: string; group_by: string }): string {
  const q = new URLSearchParams();
  if (p.from) q.set('from', p.from);
  if (p.to) q.set('to', p.to);
  if (p.group_by && p.group_by !== 'team') q.set('group_by', p.group_by);
  const s = q.toString();
  return s ? '?' + s : '';
}

/** The largest visible value of a column, to scale bars. */
export function maxVisible(cells: ReportCell[]): number {
  return cells.reduce((m, c) => (c.value !== null && c.value > m ? c.value : m), 0);
}
