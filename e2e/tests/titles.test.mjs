// Every page has its own title in the UI language ("Vandaag — Brug"): every
// route of the menu, and the client pages, for a CHW and a coordinator.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

async function titleOf(page, path) {
  await page.goto(env.server.base + path);
  await page.locator('main h1').first().waitFor();
  // The shell sets the title once the signed-in user is known.
  await page.waitForFunction(() => document.title !== 'Brug', null, { timeout: 5000 }).catch(() => {});
  return page.title();
}

describe('page titles', () => {
  for (const email of ['chw.gent1@example.org', 'coordinator.gent@example.org']) {
    it(`${email}: every route has its own title ending in " — Brug"`, async () => {
      const { context, page, problems } = await phonePage(env.browser);
      try {
        await page.goto(env.server.base + '/login');
        await page.getByLabel('Taal').selectOption('nl');
        await signIn(page, email);
        await page.getByTestId('page-name').waitFor();
        const menu = await page.locator('#menu nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(menu.length >= 8, `${email} has ${menu.length} menu items`);
        await page.goto(env.server.base + '/caseload');
        await page.locator('.client-link').first().waitFor();
        const client = await page.locator('.client-link').first().getAttribute('href');
        const paths = [...menu, client, `${client}/refer`, '/clients/new', '/account/sessions', '/no-such-page'];

        const seen = new Map();
        for (const path of paths) {
          const title = await titleOf(page, path);
          assert.match(title, /^\S.* — Brug$/, `${path}: title "${title}"`);
          assert.notEqual(title, 'Brug', `${path}: only the app's name`);
          assert.ok(!seen.has(title), `${path} has the title of ${seen.get(title)}: "${title}"`);
          seen.set(title, path);
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
