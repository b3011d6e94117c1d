import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { axe, noHorizontalScroll, phonePage, signIn, suite, PASSWORD } from '../harness.mjs';

const env = suite(before, after);

async function call(method, path, token, body) {
  const r = await fetch(env.server.base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const login = async (email) => (await call('POST', '/api/v1/auth/login', null, { email, password: PASSWORD })).access_token;

describe('audit', () => {
  it('a coordinator sees who read a client record; the admin searches the audit log and downloads it', async () => {
    // The coordinator opens a client of the team: the read is recorded and
    // shows in the record's collapsible trail.
    const coord = await phonePage(env.browser);
    try {
      await coord.page.goto(env.server.base + '/login');
      await coord.page.getByLabel('Taal').selectOption('en');
      await signIn(coord.page, 'coordinator.gent@example.org');
      await coord.page.getByRole('navigation').getByRole('link', { name: 'Caseload' }).click();
      await coord.page.locator('.client-link').first().click();
      await coord.page.locator('details[data-testid="client-audit"]').waitFor();
      const summary = coord.page.locator('details[data-testid="client-audit"] summary');
      await summary.focus();
      await coord.page.keyboard.press('Enter'); // opens with the keyboard
      await coord.page.locator('details[data-testid="client-audit"] li code', { hasText: 'client.read' }).first().waitFor();
      await noHorizontalScroll(coord.page, 'client page with its audit trail');
      await axe(coord.page, 'client audit trail');
      assert.deepEqual(coord.problems, []);
    } finally {
      await coord.context.close();
    }

    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'admin@example.org');
      await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      await page.getByTestId('audit-event').first().waitFor();

      // Search by action: every row is a read of a client record.
      await page.getByLabel('Action').fill('client.read');
      const answered = page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('action=client.read') && r.status() === 200);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await answered;
      await page.getByTestId('audit-event').first().waitFor();
      const actions = await page.locator('[data-testid="audit-event"] .audit-head code').allInnerTexts();
      assert.ok(actions.length >= 1, 'no client.read rows');
      assert.deepEqual([...new Set(actions)], ['client.read']);
      assert.match(await page.locator('main').innerText(), /Griet/); // the coordinator who read it
      await noHorizontalScroll(page, 'audit log');
      await axe(page, 'audit log');

      // The download is the same search as CSV, header row first.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download (CSV)' }).click()]);
      assert.equal(download.suggestedFilename(), 'brug-audit.csv');
      const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
      assert.equal(lines[0], 'at,actor_id,actor_name,actor_role,action,entity,entity_id,client_id,request_id,ip,detail,unusual,stream,seq');
      assert.ok(lines.length >= 2 && lines.slice(1).every((l) => l.includes(',client.read,')), lines.slice(0, 3).join('\n'));

      // A bad filter is named at its field, in the reader's language.
      await page.getByLabel('Client id').fill('not-an-id');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.locator('#audit-client_id-error').waitFor();
      assert.deepEqual(problems.filter((p) => !/Failed to load resource: .*422/.test(p)), []);
    } finally {
      await context.close();
    }
  });
  it('new access to client records heads the audit log, and a break-the-glass access reads as unusual (German, 360 px)', async () => {
    // An admin gives a new account client records (a CHW of Gent); a CHW of
    // Liège opens a Gent client with emergency access.
    const adminToken = await login('admin@example.org');
    const gent = (await call('GET', '/api/v1/teams', adminToken)).items.find((tm) => tm.name === 'Gent');
    await call('POST', '/api/v1/users', adminToken, { email: 'nina.neu@example.org', name: 'Nina Neu', role: 'chw', team_ids: [gent.id], language: 'de' });
    const client = await call('POST', '/api/v1/clients', await login('chw.gent1@example.org'), { given_name: 'Greta', family_name: 'Glasprobe', confirm_duplicate: true });
    await call('POST', `/api/v1/clients/${client.id}/emergency-access`, await login('chw.liege1@example.org'), { reason: 'Die Klientin steht am Schalter in Lüttich.' });

    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('de');
      await signIn(page, 'admin@example.org');
      await page.getByRole('navigation').getByRole('link', { name: 'Prüfprotokoll' }).click();
      await page.getByRole('heading', { name: 'Prüfprotokoll', level: 1 }).waitFor();

      // On top, whatever the search: who was given access to client records.
      const granted = page.getByTestId('access-granted');
      await granted.getByRole('heading', { name: 'In den letzten 30 Tagen vergebene Zugriffe auf Klientenakten' }).waitFor();
      await granted.getByText(/hat nina\.neu@example\.org \(Gesundheitslotse\) Zugriff auf Klientenakten gegeben/).waitFor();

      // This client's events: the emergency access and the read under it
      // are marked as unusual, in words.
      await page.getByLabel('Klienten-ID').fill(client.id);
      const answered = page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes(client.id) && r.status() === 200);
      await page.getByRole('button', { name: 'Suchen', exact: true }).click();
      await answered;
      const glass = page.getByTestId('audit-event').filter({ has: page.locator('.audit-head code', { hasText: 'client.emergency_access' }) });
      await glass.waitFor();
      assert.equal(await glass.getByTestId('audit-unusual').innerText(), 'Ungewöhnlicher Zugriff');
      const usual = page.getByTestId('audit-event').filter({ has: page.locator('.audit-head code', { hasText: 'client.create' }) });
      assert.equal(await usual.getByTestId('audit-unusual').count(), 0, 'the own CHW creating the record is not unusual');
      await granted.waitFor(); // still on top after the search
      await noHorizontalScroll(page, 'audit log with access given');
      await axe(page, 'audit log with access given and unusual access');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
