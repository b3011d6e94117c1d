import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

describe('subject rights', () => {
  it('a coordinator exports a client (JSON and PDF), then erases the record (English, 360 px)', async () => {
    const ctx = await phonePage(env.browser);
    const { page } = ctx;
    await page.goto(env.server.base + '/login');
    await page.getByLabel('Taal').selectOption('en');
    await signIn(page, 'coordinator.gent@example.org');
    await page.getByTestId('user-name').waitFor();

    await page.goto(env.server.base + '/clients/new');
    await page.getByRole('heading', { name: 'New client', level: 1 }).waitFor();
    await page.getByLabel('First name').fill('Zoë');
    await page.getByLabel('Last name').fill('Müller');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Zoë Müller', level: 1 }).waitFor();
    const id = page.url().split('/clients/')[1];
    assert.match(id, /^[0-9a-f-]{36}$/);

    const rights = page.getByTestId('subject-rights');
    await rights.getByRole('heading', { name: 'Data protection' }).waitFor();
    await noHorizontalScroll(page, 'client page with data protection');
    await axe(page, 'client page with data protection');

    // The JSON export parses and is about this client.
    let [download] = await Promise.all([page.waitForEvent('download'), rights.getByRole('button', { name: 'Export data (JSON)' }).click()]);
    const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(doc.client.id, id);
    assert.equal(doc.client.given_name, 'Zoë');
    assert.equal(doc.format, 'brug.client-export/1');
    // The PDF is a PDF.
    [download] = await Promise.all([page.waitForEvent('download'), rights.getByRole('button', { name: 'Export data (PDF)' }).click()]);
    const pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF');

    // A legal hold stops erasure until it is lifted.
    await rights.getByLabel('Reason for the legal hold').fill('Complaint file 2026/7');
    await rights.getByRole('button', { name: 'Place legal hold' }).click();
    await rights.getByTestId('legal-hold').getByText('Complaint file 2026/7', { exact: false }).waitFor();
    await rights.getByText('This record is under a legal hold: lift the hold before erasing it.').waitFor();
    assert.equal(await rights.getByRole('button', { name: "Erase this client's data" }).count(), 0);
    await rights.getByRole('button', { name: 'Lift legal hold' }).click();
    await rights.getByLabel('Reason for the legal hold').waitFor();

    // Erasure asks, in a dialog, for the request's reference and reason.
    await rights.getByRole('button', { name: "Erase this client's data" }).click();
    const dialog = page.getByRole('dialog', { name: "Erase this client's data?" });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    await dialog.locator('#erase-reference-error').waitFor();
    await dialog.locator('#erase-reason-error').waitFor();
    await noHorizontalScroll(page, 'erase dialog');
    await axe(page, 'erase dialog');
    await dialog.getByLabel('Request reference').fill('GDPR-2026-001');
    await dialog.getByLabel('Reason').fill('The person asked in writing.');
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    await page.getByRole('heading', { name: 'Erased client', level: 1 }).waitFor();
    await page.getByRole('status').getByText("The client's data was erased.").first().waitFor();
    await page.locator('.timeline').getByText('Personal data erased').waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), /Zoë|Müller/);
    await axe(page, 'erased client');

    // expected: the dialog's empty submit answers 422 on purpose.
    assert.deepEqual(ctx.problems.filter((p) => !/422/.test(p)), []);
    await ctx.context.close();
  });
});
