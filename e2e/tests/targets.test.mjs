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
  it('a coordinator lowers an alert threshold in Dutch and finds the alert task at once; raising it closes it (360 px)', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('nl');
      await signIn(page, 'coordinator.gent@example.org');
      // The coordinator's own tasks and the team's alerts, on the team board (their start page).
      const mine = page.getByTestId('board-mine');
      const tasks = async () => {
        const loaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/tasks' && new URL(r.url()).searchParams.get('mine') === 'true');
        // The board is the start page: already there, it is read again.
        if (new URL(page.url()).pathname === '/team') await page.reload();
        else await page.getByRole('navigation').getByRole('link', { name: 'Teambord' }).click();
        await page.getByRole('heading', { name: 'Teambord', level: 1 }).waitFor();
        await loaded;
        await mine.getByRole('heading', { name: /^Mijn taken en signalen, uiterlijk vandaag \(\d+\)$/ }).waitFor();
      };
      const thresholds = async (value) => {
        await page.getByRole('navigation').getByRole('link', { name: 'Coaching' }).click();
        const form = page.getByTestId('alert-settings');
        const field = form.getByLabel('Signaal als een gezondheidswerker meer achterstallige taken heeft dan dit aantal');
        await field.waitFor();
        await field.fill(value);
        await field.press('Enter');
        return form;
      };
      // Every Gent CHW of the demo has at least two overdue tasks; none is over the default of 10.
      await tasks();
      assert.equal(await mine.getByText(/^Hanne Peeters heeft \d+ achterstallige taken/).count(), 0);
      // Nonsense is named at the field and saves nothing.
      let form = await thresholds('0');
      await form.locator('[id$="-overdue_tasks-error"]').waitFor();
      assert.equal(await form.locator('[id$="-overdue_tasks"]').getAttribute('aria-invalid'), 'true');
      await noHorizontalScroll(page, 'alert thresholds with an error');
      await axe(page, 'Coaching with alert thresholds');
      form = await thresholds('1');
      await form.getByRole('status').getByText('Drempels opgeslagen.', { exact: false }).waitFor();
      await form.getByText(/^Eigen drempels van dit team, ingesteld op /).waitFor();
      // The alert is there at once, in the coordinator's language, not at the next round.
      await tasks();
      await mine.getByText(/^Hanne Peeters heeft \d+ achterstallige taken \(drempel 1\)/).waitFor();
      await axe(page, 'team board with an alert');
      await noHorizontalScroll(page, 'team board with an alert');
      // Back to 10: the condition clears and its task closes by itself.
      form = await thresholds('10');
      await form.getByRole('status').getByText('Drempels opgeslagen.', { exact: false }).waitFor();
      await tasks();
      assert.equal(await mine.getByText(/^Hanne Peeters heeft \d+ achterstallige taken/).count(), 0);
      assert.deepEqual(problems.filter((p) => !/Failed to load resource: .*422/.test(p)), []);
    } finally {
      await context.close();
    }
  });
  it('an admin sets a team\'s alert thresholds from the Teams page in German, with the keyboard', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('de');
      await signIn(page, 'admin@example.org');
      await page.getByRole('navigation').getByRole('link', { name: 'Teams' }).click();
      await page.getByRole('heading', { name: 'Teams', level: 1 }).waitFor();
      const card = page.locator('li.card').filter({ has: page.getByRole('heading', { name: 'Gent', level: 2, exact: true }) });
      // Read only when opened.
      assert.equal(await card.getByTestId('alert-settings').count(), 0);
      await card.locator('summary', { hasText: 'Schwellen für Hinweise' }).focus();
      await page.keyboard.press('Enter');
      const form = card.getByTestId('alert-settings');
      const days = form.getByLabel('Hinweis, wenn ein Gesundheitslotse so viele Arbeitstage keinen Besuch erfasst hat');
      await days.waitFor();
      // An emptied field is named, not kept silently or sent as nothing.
      await days.fill('');
      await days.press('Enter');
      await form.locator('[id$="-no_visit_days-error"]').waitFor();
      assert.equal(await form.getByRole('alert').count() > 0, true);
      await days.fill('70');
      await days.press('Enter');
      await form.locator('[id$="-no_visit_days-error"]', { hasText: '60' }).waitFor();
      await axe(page, 'Teams with alert thresholds and an error');
      await noHorizontalScroll(page, 'Teams with alert thresholds');
      await days.fill('7');
      await days.press('Enter');
      await form.getByRole('status').getByText('Schwellen gespeichert.', { exact: false }).waitFor();
      assert.equal(await days.inputValue(), '7');
      assert.deepEqual(problems.filter((p) => !/Failed to load resource: .*422/.test(p)), []);
    } finally {
      await context.close();
    }
  });
});
