import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

// Family names the demo caseload draws from (internal/demo/caseload.go).
const familyNames = ['El Idrissi', 'Yilmaz', 'Popescu', 'Diallo', 'Janssens', 'Benali', 'Ivanova', 'Mertens', 'Nkosi', 'Kaya',
  'Dubois', 'Haddad', 'Petrov', 'De Smet', 'Mahamud', 'Lambert', 'Bouzid', 'Nowak', 'Martin', 'Ozturk', 'Wouters', 'Cissé',
  'Georgiev', 'Maes', 'Rahimi', 'Lejeune', 'Osman', 'Peeters', 'Traoré', 'Claes'];

describe('reports', () => {
  it('the manager dashboard and reports show aggregates only, in every language', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'manager@example.org');
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await page.getByText('At a glance').waitFor();
      await page.locator('table').first().waitFor();
      for (const link of ['Activity report', 'Barrier report']) {
        await page.getByRole('navigation').getByRole('link', { name: link }).click();
        await page.getByRole('heading', { name: link, level: 1 }).waitFor();
        await page.locator('table').first().waitFor();
        const text = await page.locator('main').innerText();
        for (const name of familyNames) {
          // "Lambert" and "Peeters" are also CHW family names: no people's names at all may show.
          assert.ok(!text.includes(name), `${link} shows the name ${name}`);
        }
        await noHorizontalScroll(page, link);
        await axe(page, link);
      }
      // The quarterly policy signal shows per region, without names.
      const answered = page.waitForResponse((r) => r.url().includes('/reports/policy-signal') && r.status() === 200);
      await page.getByRole('button', { name: 'Show the signal' }).click();
      await answered;
      const signal = await page.locator('section[aria-labelledby="signal-title"]').innerText();
      for (const name of familyNames) assert.ok(!signal.includes(name), `the policy signal shows the name ${name}`);
      await axe(page, 'policy signal');
      // Parameters live in the address bar and bad ones are named.
      await page.locator('#rp-group').selectOption('month');
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      await page.waitForURL(/group_by=month/);
      await page.locator('#rp-from').fill('2026-05-01');
      await page.locator('#rp-to').fill('2026-04-01');
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      await page.locator('#rp-from-error').waitFor();
      for (const [lang, heading] of [['fr', 'Rapport des obstacles'], ['de', 'Hürdenbericht'], ['nl', 'Drempelrapport']]) {
        await page.getByLabel(/Language|Langue|Sprache|Taal/).selectOption(lang);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      }
      assert.deepEqual(problems.filter((p) => !/Failed to load resource: .*422/.test(p)), []);
    } finally {
      await context.close();
    }
  });
});
