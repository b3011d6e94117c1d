// Stale edits (issue 16 part 2): a PATCH names the version it was based on;
// when someone else saved meanwhile the server answers 412 with the record as
// it is now, and the person sees both and chooses.
import { ApiError, patchVersioned } from './api';

type Rec = Record<string, unknown>;

/** One field of the "changed meanwhile" dialog. */
export interface DiffRow {
  field: string;
  /** What you wanted it to be (your edit, or what you had when you did not touch it). */
  yours: unknown;
  /** What is saved now. */
  theirs: unknown;
  /** The other person changed this field after you loaded the record. */
  changedByThem: boolean;
}

// Bookkeeping that moves with every change and says nothing to the person.
const ignored = new Set(['id', 'version', 'created_at', 'updated_at', 'last_activity_at', 'last_event_at', 'allowed_transitions', 'events', 'links', 'warnings']);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The fields worth showing: every field of your edit (with what is saved
 * now), then the fields the other person changed that you did not touch.
 * A field of your edit that is already saved the way you wanted is left out.
 */
export function staleDiff(before: Rec, mine: Rec, theirs: Rec): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const [field, yours] of Object.entries(mine)) {
    if (ignored.has(field) || yours === undefined) continue;
    if (same(yours, theirs[field])) continue;
    rows.push({ field, yours, theirs: theirs[field], changedByThem: !same(before[field], theirs[field]) });
  }
  for (const field of Object.keys(theirs)) {
    if (ignored.has(field) || field in mine) continue;
    if (!same(before[field], theirs[field])) rows.push({ field, yours: before[field], theirs: theirs[field], changedByThem: true });
  }
  return rows;
}

/** A value as the dialog shows it: names of referenced records, lists joined, empty marked. */
export function showValue(v: unknown, empty: string): string {
  if (v === null || v === undefined || v === '') return empty;
  if (Array.isArray(v)) return v.length ? v.map((x) => showValue(x, empty)).join(', ') : empty;
  if (typeof v === 'object') {
    const o = v as Rec;
    if (typeof o.name === 'string') return o.name;
    return JSON.stringify(v);
  }
  return String(v);
}

export interface Conflict {
  rows: DiffRow[];
  /** The person chose: 'theirs' keeps what is saved, 'mine' sends the edit again on the new version. */
  choose: (choice: 'theirs' | 'mine') => void;
}

/** The open conflict, shown by StaleDialog in the shell (one at a time). */
export const stale: { current: Conflict | null; listeners: Set<() => void> } = { current: null, listeners: new Set() };

function show(c: Conflict | null) {
  stale.current = c;
  for (const l of stale.listeners) l();
}

/** The 412 problem's record and version, when it is one. */
export function staleRecord(err: unknown): { current: Rec; version: number } | null {
  if (!(err instanceof ApiError) || err.status !== 412) return null;
  const p = err.problem as unknown as { current?: Rec; version?: number } | null;
  if (!p?.current || typeof p.version !== 'number') return null;
  return { current: p.current, version: p.version };
}

/** What an edit came to: saved (the record as the server has it now), or kept theirs. */
export type EditOutcome<T> = { saved: true; record: T } | { saved: false; record: T };

/**
 * Sends an edit of a record loaded as `before` (its version in If-Match). When
 * it changed meanwhile the dialog shows both; keeping theirs resolves with the
 * record as it is now, saving yours sends the edit again on the new version
 * (and asks again if it changed once more). Other errors are thrown.
 */
export async function editRecord<T = Rec>(path: string, before: object, body: Rec, ask: (rows: DiffRow[]) => Promise<'theirs' | 'mine'> = askInDialog): Promise<EditOutcome<T>> {
  const v = (before as Rec).version;
  let version = typeof v === 'number' ? v : undefined;
  let base = before as Rec;
  for (;;) {
    try {
      return { saved: true, record: await patchVersioned<T>(path, body, version) };
    } catch (err) {
      const s = staleRecord(err);
      if (!s) throw err;
      const choice = await ask(staleDiff(base, body, s.current));
      if (choice === 'theirs') return { saved: false, record: s.current as T };
      version = s.version;
      base = s.current;
    }
  }
}

/** Shows the change dialog and resolves with the person's choice. */
export function askInDialog(rows: DiffRow[]): Promise<'theirs' | 'mine'> {
  return new Promise((resolve) => {
    show({ rows, choose: (c) => { show(null); resolve(c); } });
  });
}
