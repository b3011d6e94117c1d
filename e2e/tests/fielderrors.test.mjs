import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

describe('precise field errors', () => {
  it('a CHW sees the exact limit in Dutch and lands in the field in error', async () => {
    const ctx = await phonePage(env.browser);
    const { page } = ctx;
    await page.goto(env.server.base + '/login');
    await page.getByLabel('Taal').selectOption('nl');
    await signIn(page, 'chw.gent1@example.org');
    await page.getByTestId('user-name').waitFor();
    await page.goto(env.server.base + '/clients/new');
    await page.getByRole('heading', { name: 'Nieuwe cliënt', level: 1 }).waitFor();

    // The inputs say their limits, so the browser itself stops most mistakes.
    assert.equal(await page.getByLabel('Voornaam').getAttribute('maxlength'), '100');
    const birth = page.getByLabel('Geboortejaar');
    assert.equal(await birth.getAttribute('min'), '1900');
    assert.equal(await birth.getAttribute('max'), String(new Date().getFullYear()));

    // The form has novalidate: a number below min still goes to the API, which refuses it.
    await page.getByLabel('Voornaam').fill('Yara');
    await birth.fill('1800');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    const year = new Date().getFullYear();
    await page.getByText(`Een jaartal van 1900 tot ${year}.`).waitFor();
    assert.equal(await page.getByText('Deze waarde is niet geldig.').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cf-birth');
    assert.equal(await birth.getAttribute('aria-invalid'), 'true');
    assert.equal(await birth.getAttribute('aria-describedby'), 'cf-birth_year-error');
    await axe(page, 'client form with a field error');

    // maxlength stops typing; a pasted-in value past it (set by script) still gets the precise message.
    await birth.fill('1990');
    await page.evaluate(() => {
      const el = document.getElementById('cf-given');
      el.removeAttribute('maxlength');
      el.value = 'Y'.repeat(101);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.getByLabel('Telefoon').fill('12');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText('Maximaal 100 tekens.').waitFor();
    await page.getByText('Geef een telefoonnummer, bv. 0470 12 34 56.').waitFor();
    assert.equal(await page.getByText('Dit is te lang.').count(), 0);
    // The first field in error, in the order of the form, has the cursor.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cf-given');

    const bad = ctx.problems.filter((p) => !/422/.test(p));
    assert.deepEqual(bad, []);
    await ctx.context.close();
  });
});
