import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

// The Brussels month n months from now, as YYYY-MM and in English words.
function month(n) {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit' }).format(new Date()).split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  const key = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  return { key, words: new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d) };
}

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
      // Last month by default, named in words.
      const last = month(-1);
      await page.getByText(`${last.words}, against the goals of that month.`).waitFor();
      assert.equal(await page.locator('#summary-month').inputValue(), last.key);
      await noHorizontalScroll(page, 'Monthly summary (coordinator)');
      await axe(page, 'Monthly summary (coordinator)');
      // An earlier month from the picker, by keyboard; the address keeps it over a reload.
      const before = month(-3);
      await page.locator('#summary-month').focus();
      await page.locator('#summary-month').selectOption(before.key);
      await page.getByText(`${before.words}, against the goals of that month.`).waitFor();
      await page.waitForURL(new RegExp(`/summary\\?month=${before.key}$`));
      await page.reload();
      await page.getByText(`${before.words}, against the goals of that month.`).waitFor();
      await hanne.getByText(/indicators below their goal$/).waitFor();
      // This month so far is offered; a month after it is not.
      const options = await page.locator('#summary-month option').evaluateAll((os) => os.map((o) => o.value));
      assert.equal(options[0], month(0).key);
      assert.equal(options.includes(month(1).key), false);
      assert.equal(options.length, 13);
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
