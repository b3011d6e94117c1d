import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

describe('monthly summary', () => {
  it('a coordinator reads last month per CHW against goals, by keyboard at 360 px; a CHW their own', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'coordinator.gent@example.org');
      // Reached from the navigation with the keyboard.
      const nav = page.getByRole('navigation').getByRole('link', { name: 'Monthly summary' });
      await nav.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Monthly summary', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'My month' }).waitFor();
      const hanne = page.locator('[data-testid="summary-chw"]').filter({ has: page.getByRole('heading', { name: 'Hanne Peeters' }) });
      await hanne.getByText(/indicators below their goal$/).waitFor();
      assert.match(await hanne.innerText(), /Visits/);
      assert.match(await page.getByText(/^Month \d{4}-\d{2}, against the goals/).innerText(), /Month \d{4}-\d{2}/);
      await noHorizontalScroll(page, 'Monthly summary (coordinator)');
      await axe(page, 'Monthly summary (coordinator)');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    const chw = await phonePage(env.browser);
    try {
      await chw.page.goto(env.server.base + '/login');
      await chw.page.getByLabel('Taal').selectOption('en');
      await signIn(chw.page, 'chw.gent1@example.org');
      await chw.page.getByRole('navigation').getByRole('link', { name: 'Monthly summary' }).click();
      await chw.page.getByRole('heading', { name: 'My month' }).waitFor();
      assert.equal(await chw.page.locator('[data-testid="summary-chw"]').count(), 0);
      await noHorizontalScroll(chw.page, 'Monthly summary (CHW)');
      await axe(chw.page, 'Monthly summary (CHW)');
      assert.deepEqual(chw.problems, []);
    } finally {
      await chw.context.close();
    }
  });
});
