// Targets and progress (api/openapi.yaml: MonthProgress, Targets). The
// server says where a month stands (day of days); the pace below is the
// same rule it uses for `behind`, so the screen and the coaching view agree.
import { i18n, t, formatNumber } from './i18n/index.svelte';

export type Unit = 'count' | 'percent';
export interface Indicator { key: string; unit: Unit; max: number; table: string }
export interface IndicatorProgress {
  indicator: string;
  unit: Unit;
  value: number | null;
  of?: number;
  suppressed?: boolean;
  goal: number | null;
  goal_source?: 'chw' | 'team' | 'programme';
  expected?: number;
  behind: boolean;
}
export interface MonthProgress { month: string; day: number; days: number; indicators: IndicatorProgress[] }
export interface DeclaredGoal { indicator: string; goal: number | null; since: string; set_at: string; set_by: string }
export interface EffectiveGoal { indicator: string; goal: number | null; source?: string }
export interface ScopeGoals { id?: string; name?: string; team_id?: string; goals: DeclaredGoal[]; effective?: EffectiveGoal[] }
export interface Targets {
  month: string;
  editable_from: string;
  indicators: Indicator[];
  programme: ScopeGoals;
  teams: ScopeGoals[];
  chws: ScopeGoals[];
}
export interface CoachingCHW {
  id: string;
  name: string;
  caseload: number;
  without_contact: number;
  overdue_tasks: number;
  stuck_referrals: number;
  behind: number;
  this_month: MonthProgress;
  last_month: MonthProgress;
}
export interface Coaching { team_id: string; month: string; indicators: Indicator[]; no_contact_days: number; stuck_referral_days: number; chws: CoachingCHW[] }

/** The fixed indicators, in the order the server lists them. */
export const indicatorKeys = ['visits', 'clients_reached', 'new_clients', 'referrals_sent', 'referrals_completed', 'appointments_attended',
  'barriers_resolved', 'barriers_signalled', 'group_sessions', 'group_participants'] as const;

/** The count a goal asks for by day `day` of a month of `days` days (one decimal). */
export function expectedBy(goal: number, day: number, days: number): number {
  if (days <= 0) return 0;
  return Math.round(((goal * day) / days) * 10) / 10;
}

/** Behind pace: a count below the expected count (rounded down), a share below its goal. */
export function isBehind(unit: Unit, value: number | null, goal: number | null, day: number, days: number): boolean {
  if (value === null || goal === null) return false;
  if (unit === 'percent') return value < goal;
  return value < Math.floor(expectedBy(goal, day, days));
}

/** An indicator's figure against its goal, as Today's card and the monthly summary word it. */
export function progressFigure(p: IndicatorProgress): string {
  if (p.unit === 'percent') {
    if (p.value === null) return t('progress.shareNone');
    const v = t('progress.share', { value: p.value, of: p.of ?? 0 });
    return p.goal === null ? v : `${v} · ${t('progress.goalPercent', { goal: p.goal })}`;
  }
  const v = formatNumber(p.value ?? 0);
  return p.goal === null ? t('progress.noGoal', { value: v }) : t('progress.of', { value: v, goal: formatNumber(p.goal) });
}

/** How full the bar is, 0–100: the value against the goal (a goal of 0 is met). */
export function barPercent(value: number | null, goal: number | null): number {
  if (value === null || goal === null) return 0;
  if (goal <= 0) return 100;
  return Math.max(0, Math.min(100, Math.round((value / goal) * 100)));
}

/** Where the pace marker sits on the bar, 0–100 (counts only). */
export function pacePercent(day: number, days: number): number {
  if (days <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((day / days) * 100)));
}

/** The current Brussels month, YYYY-MM. */
export function brusselsMonth(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit' }).formatToParts(now);
  const y = parts.find((p) => p.type === 'year')?.value ?? '';
  const m = parts.find((p) => p.type === 'month')?.value ?? '';
  return `${y}-${m}`;
}

/** Adds n months (negative: back) to a YYYY-MM month. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The months from `from` to `to` months after `month`, oldest first. */
export function monthRange(month: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(addMonths(month, i));
  return out;
}

/** A YYYY-MM month in words, in the interface's language ("november 2026"; short: "nov. 2026"); read in a template, it follows a language switch. */
export function monthLabel(month: string, style: 'long' | 'short' = 'long', lang: string = i18n.lang): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { month: style, year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** The goals a form changed: a cleared field is null, an untouched one is left out. */
export function changedGoals(initial: Record<string, string | number | null>, now: Record<string, string | number | null>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const k of Object.keys(now)) {
    // A number field's binding gives a number, or null when emptied.
    const a = String(initial[k] ?? '').trim();
    const b = String(now[k] ?? '').trim();
    if (a === b) continue;
    out[k] = b === '' ? null : Number(b);
  }
  return out;
}
