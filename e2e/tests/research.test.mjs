import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

describe('research extract', () => {
  it('the programme manager downloads an extract and sees its key once', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.base });
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'manager@example.org');
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Research extract' }).click();
      await page.getByRole('heading', { name: 'Research extract', level: 1 }).waitFor();
      await page.getByText('No extracts yet.').waitFor();
      await axe(page, 'research extract');

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Make and download an extract' }).click();
      const file = await download;
      assert.match(file.suggestedFilename(), /^brug-research-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv$/);
      const csv = readFileSync(await file.path(), 'utf8');
      const [header, ...rows] = csv.trim().split('\n');
      assert.ok(header.startsWith('pseudonym,birth_band,municipality,language,care_rights,source,status,visits'), header);
      assert.ok(rows.length >= 5, `only ${rows.length} rows released from the demo programme`);
      assert.ok(!csv.includes('@') && !/\+32/.test(csv), 'the extract holds contact details');

      // The key: shown with a warning and a copy button, 32 bytes in hex.
      const key = await page.getByTestId('research-key').inputValue();
      assert.match(key, /^[0-9a-f]{64}$/);
      await page.getByText('This key is shown only now.', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Copy the key' }).click();
      await page.getByText('Key copied.').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);

      // The list shows the extract with its key's fingerprint, never the key.
      const fingerprint = createHash('sha256').update(Buffer.from(key, 'hex')).digest('hex');
      const history = page.getByTestId('research-history');
      await history.getByText(fingerprint.slice(0, 16), { exact: false }).waitFor();
      assert.ok(!(await history.innerText()).includes(key.slice(0, 16)), 'the list shows the key');
      await noHorizontalScroll(page, 'research extract');
      await axe(page, 'research extract with its key');

      // The data dictionary names every column of the file, in its order.
      const dictFile = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Download the data dictionary' }).click();
      const dict = JSON.parse(readFileSync(await (await dictFile).path(), 'utf8'));
      assert.equal(dict.columns.map((c) => c.name).join(','), header);
      assert.equal(dict.k, 5);

      // Once the page is left, the key is gone for good.
      await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Research extract' }).click();
      await history.waitFor();
      assert.equal(await page.getByTestId('research-key').count(), 0, 'the key is shown a second time');
      assert.ok(!(await page.locator('main').innerText()).includes(key.slice(0, 16)));

      for (const [lang, heading] of [['nl', 'Onderzoeksextract'], ['fr', 'Extraction pour la recherche'], ['de', 'Forschungsauszug']]) {
        await page.getByLabel(/Language|Langue|Sprache|Taal/).selectOption(lang);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a fund manager or a coordinator has no research screen', async () => {
    const { context, page } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'coordinator.gent@example.org');
      await page.getByRole('navigation').waitFor();
      assert.equal(await page.getByRole('navigation').getByRole('link', { name: 'Research extract' }).count(), 0);
    } finally {
      await context.close();
    }
  });
});
