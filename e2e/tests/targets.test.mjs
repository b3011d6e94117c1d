import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

describe('targets', () => {
  it('a CHW sees this month against goals on Today and 12 months in My activity, at 360 px', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'chw.gent1@example.org');
      const card = page.locator('section[aria-labelledby="today-progress"]');
      await card.getByRole('heading', { name: "This month's goals" }).waitFor();
      await card.getByText(/^Day \d+ of \d+$/).waitFor();
      // The demo sets Gent's visits target to 45: number and goal in words.
      await card.getByText(/ of 45/).first().waitFor();
      const text = await card.innerText();
      assert.match(text, /Visits/);
      assert.match(text, /On pace|Behind pace|Goal reached/);
      await noHorizontalScroll(page, 'Today');
      await axe(page, 'Today with progress');
      await page.getByRole('navigation').getByRole('link', { name: 'My activity' }).click();
      await page.getByRole('heading', { name: 'Last 12 months against your goals' }).waitFor();
      const rows = page.locator('section[aria-labelledby="history-title"] tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 12);
      await noHorizontalScroll(page, 'My activity');
      await axe(page, 'My activity');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a coordinator coaches and sets a CHW goal with the keyboard; a past month is read-only', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'coordinator.gent@example.org');
      await page.getByRole('navigation').getByRole('link', { name: 'Coaching' }).click();
      await page.getByRole('heading', { name: 'Coaching', level: 1 }).waitFor();
      const hanne = page.locator('li.card').filter({ has: page.getByRole('heading', { name: 'Hanne Peeters' }) });
      await hanne.getByText(/^Caseload: \d+ clients$/).waitFor();
      await hanne.getByRole('region', { name: 'Figures of Hanne Peeters' }).waitFor();
      await noHorizontalScroll(page, 'Coaching');
      await axe(page, 'Coaching');
      // The caseload link opens the caseload filtered to her.
      await hanne.getByRole('link', { name: /^Caseload:/ }).click();
      await page.waitForURL(/\/caseload\?assigned_to=/);
      await page.getByRole('heading', { level: 1 }).waitFor();

      await page.getByRole('navigation').getByRole('link', { name: 'Targets' }).click();
      await page.getByRole('heading', { name: 'Targets', level: 1 }).waitFor();
      await page.locator('#targets-who').selectOption({ label: 'Youssef El Amrani' });
      const visits = page.locator('#goal-visits');
      await visits.waitFor();
      assert.equal(await visits.inputValue(), '25'); // the demo's own goal
      await visits.focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('30');
      await page.keyboard.press('Enter');
      await page.getByText(/^Goals saved from /).waitFor();
      // Bad input is named at the field.
      await page.locator('#goal-appointments_attended').fill('150');
      await page.keyboard.press('Enter');
      await page.locator('#goal-appointments_attended-error').waitFor();
      await noHorizontalScroll(page, 'Targets');
      await axe(page, 'Targets with an error');
      // Last month keeps its goals and cannot be changed.
      const options = await page.locator('#targets-month option').evaluateAll((os) => os.map((o) => o.value));
      const past = options[options.indexOf(await page.locator('#targets-month').inputValue()) - 1];
      await page.locator('#targets-month').selectOption(past);
      await page.getByText('This month is over: its goals are shown as they were.').waitFor();
      assert.equal(await page.locator('#goal-visits').isDisabled(), true);
      assert.deepEqual(problems.filter((p) => !/Failed to load resource: .*422/.test(p)), []);
    } finally {
      await context.close();
    }
  });
});
