// The coordinators' triage queue of contact-form requests.

export const contactKinds = ['want_chw', 'collaboration', 'question'] as const;
export type ContactKind = (typeof contactKinds)[number];

export const closeReasons = ['answered', 'no_response', 'out_of_area', 'not_eligible', 'duplicate', 'spam', 'other'] as const;

export interface ContactRequest {
  id: string;
  kind: ContactKind;
  status: 'new' | 'converted' | 'partnered' | 'closed' | 'withdrawn';
  name: string;
  organisation: string;
  phone: string | null;
  email: string | null;
  area: string;
  team_id: string | null;
  language: string;
  message: string;
  consent_version: string;
  consent_at: string;
  withdrawn_at: string | null;
  close_reason: string;
  close_note: string;
  handled_by: { id: string; name: string } | null;
  handled_at: string | null;
  client_id: string | null;
  provider_id: string | null;
  purged: boolean;
  overdue: boolean;
  created_at: string;
}

/** What a coordinator can do with an open request: a collaboration offer
 * becomes a partner; the others become a client of a CHW. Any can be closed. */
export function primaryAction(r: Pick<ContactRequest, 'kind'>): 'convert' | 'partner' {
  return r.kind === 'collaboration' ? 'partner' : 'convert';
}

/** The team a conversion goes to: the request's own, else the coordinator's
 * only team; null means the coordinator must choose. */
export function defaultTeam(r: Pick<ContactRequest, 'team_id'>, myTeams: string[]): string | null {
  if (r.team_id && myTeams.includes(r.team_id)) return r.team_id;
  return myTeams.length === 1 ? myTeams[0] : null;
}

/** Open requests, overdue ones first, then oldest first. */
export function sortQueue(items: ContactRequest[]): ContactRequest[] {
  return [...items].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.created_at.localeCompare(b.created_at));
}

/** A close reason "other" needs a note (the server says so too). */
export function closeProblem(reason: string, note: string): 'reason' | 'note' | null {
  if (!(closeReasons as readonly string[]).includes(reason)) return 'reason';
  if (reason === 'other' && note.trim() === '') return 'note';
  return null;
}

/** The municipality part of what the visitor typed: "Rabot (Gent)" -> "Gent". */
export function municipalityOf(area: string): string {
  const m = area.trim().match(/\(([^()]*)\)\s*$/);
  return (m ? m[1] : area).trim();
}
