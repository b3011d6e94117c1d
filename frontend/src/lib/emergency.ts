// Break-the-glass (api/openapi.yaml: /clients/{id}/emergency-access,
// /emergency-access, /client-lookup).
import { api } from './api';

export interface EmergencyGrant {
  id: string;
  client_id: string;
  reason: string;
  granted_at: string;
  expires_at: string;
}

export interface LookupMatch {
  client_id: string;
  team_id: string;
  team_name: string;
  in_scope: boolean;
}

export interface LookupQuery {
  phone?: string;
  given_name?: string;
  family_name?: string;
  birth_year?: number;
}

export const reasonMin = 10;
export const reasonMax = 500;

/** Whether a reason is long enough and not too long (the server checks too). */
export function reasonValid(reason: string): boolean {
  const n = [...reason.trim()].length;
  return n >= reasonMin && n <= reasonMax;
}

/** The lookup body: a whole phone number, else name and birth year. */
export function lookupBody(phone: string, given: string, family: string, year: string): LookupQuery {
  if (phone.trim()) return { phone: phone.trim() };
  const q: LookupQuery = { given_name: given.trim(), family_name: family.trim() };
  if (year.trim()) q.birth_year = Number(year.trim());
  return q;
}

/** The caller's live grant for a client, if any. */
export function grantFor(grants: EmergencyGrant[], clientId: string): EmergencyGrant | undefined {
  return grants.find((g) => g.client_id === clientId);
}

export function loadGrants(): Promise<{ items: EmergencyGrant[]; hours: number }> {
  return api('GET', '/api/v1/emergency-access');
}
