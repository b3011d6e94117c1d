import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

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
});
