import type { Ref } from './care';

export type PlaceKind = 'partner' | 'neighbourhood';
export type GroupStatus = 'planned' | 'held' | 'cancelled';

/** A group session as GET /api/v1/group-sessions returns it. */
export interface GroupSession {
  id: string;
  team_id: string;
  starts_at: string;
  starts_at_local: string;
  duration_minutes: number;
  place_kind: PlaceKind;
  neighbourhood_id: string | null;
  location: string;
  partner_organisation: string;
  title: string;
  missions: string[];
  topics: string[];
  languages: string[];
  interpreter: boolean;
  participants: number;
  participants_by_age: Record<string, number> | null;
  status: GroupStatus;
  note: string;
  facilitator_ids: string[];
  facilitators: Ref[];
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** The code lists of the API (model.GroupTopics, GroupLanguages, GroupAgeBands). */
export const groupTopics = ['health_insurance', 'gp_gmd', 'dental_care', 'mental_health', 'medication', 'child_family',
  'vaccination', 'healthy_living', 'care_costs', 'digital_health', 'patient_rights', 'other'] as const;
export const groupLanguages = ['nl', 'fr', 'de', 'en', 'ar', 'tr', 'ro', 'bg', 'pl', 'es', 'pt', 'it', 'ru', 'uk',
  'so', 'ti', 'ps', 'fa', 'ku', 'ber', 'am', 'sq', 'sr', 'zh', 'other'] as const;
export const ageBands = ['0-17', '18-29', '30-49', '50-64', '65+'] as const;

/** A language code's name in the interface language, from the browser's own tables. */
export function languageName(code: string, lang: string, other: string): string {
  if (code === 'other') return other;
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language' }).of(code);
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}

/** Splits sessions into upcoming (soonest first) and past (latest first). */
export function splitSessions(items: GroupSession[], now = new Date()): { upcoming: GroupSession[]; past: GroupSession[] } {
  const t = now.getTime();
  const upcoming = items.filter((s) => Date.parse(s.starts_at) >= t).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const past = items.filter((s) => Date.parse(s.starts_at) < t).sort((a, b) => b.starts_at.localeCompare(a.starts_at));
  return { upcoming, past };
}

/** The request body of the session form; empty age bands are left out.
 * Number inputs bind numbers, or null/'' when emptied. */
export function ageBandsBody(bands: Record<string, string | number | null>): Record<string, number> | null {
  const out: Record<string, number> = {};
  for (const [band, v] of Object.entries(bands)) {
    if (v !== null && String(v).trim() !== '') out[band] = Number(v);
  }
  return Object.keys(out).length ? out : null;
}

export function ageSum(bands: Record<string, string | number | null>): number {
  return Object.values(ageBandsBody(bands) ?? {}).reduce((a, b) => a + b, 0);
}

/** Whether a planned session may be marked held: it has started. */
export function canMarkHeld(s: Pick<GroupSession, 'status' | 'starts_at'>, now = new Date()): boolean {
  return s.status === 'planned' && Date.parse(s.starts_at) <= now.getTime();
}
