// The research extract (api/openapi.yaml, tag research): the CSV comes with
// its pseudonymisation key in a response header, shown once.
import { ApiError, accessTokenForDownload, refreshSession } from './api';

export interface ResearchExtract {
  id: string;
  requested_by: { id: string; name: string };
  requested_at: string;
  key_fingerprint: string;
  eligible: number;
  rows: number;
  generalised: number;
  suppressed: number;
  params: { k?: number; quasi_identifiers?: string[]; version?: number };
}

export interface ReleasedExtract {
  id: string;
  key: string;
  rows: number;
  generalised: number;
  suppressed: number;
  filename: string;
  csv: Blob;
}

/** Reads a released extract's response: the key and counts from headers. */
export async function readExtract(res: Response): Promise<ReleasedExtract> {
  const num = (h: string) => Number(res.headers.get(h) ?? '0');
  const cd = res.headers.get('Content-Disposition') ?? '';
  return {
    id: res.headers.get('Brug-Extract-Id') ?? '',
    key: res.headers.get('Brug-Extract-Key') ?? '',
    rows: num('Brug-Extract-Rows'),
    generalised: num('Brug-Extract-Generalised'),
    suppressed: num('Brug-Extract-Suppressed'),
    filename: cd.match(/filename="([^"]+)"/)?.[1] ?? 'brug-research.csv',
    csv: await res.blob(),
  };
}

/** Asks for a new extract (refreshing the session once on a 401). */
export async function makeExtract(fetchImpl: typeof fetch = fetch): Promise<ReleasedExtract> {
  const post = () =>
    fetchImpl('/api/v1/research/extracts', {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessTokenForDownload()}`, 'Content-Type': 'application/json', Accept: 'text/csv' },
      body: '{}',
      credentials: 'same-origin',
    });
  let res = await post();
  if (res.status === 401 && (await refreshSession())) res = await post();
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      problem = null;
    }
    throw new ApiError(res.status, problem);
  }
  return readExtract(res);
}
