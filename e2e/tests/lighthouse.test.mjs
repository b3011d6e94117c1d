// Lighthouse (from npm) against Debian's Chromium: the public home and
// contact pages must score at least 95 for accessibility, best practices
// and SEO, on the mobile and the desktop preset. The performance score is
// printed, never asserted: it depends on how busy the (shared) machine is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { startServer } from '../harness.mjs';

const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

/** One Lighthouse run in a fresh Chromium. A run whose trace could not be
 * recorded (a runtime error such as NO_NAVSTART, which Lighthouse itself
 * says to run again) is repeated once; scores are never retried. */
async function audit(url, config) {
  for (let attempt = 1; ; attempt++) {
    const chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      logLevel: 'silent',
    });
    try {
      const result = await lighthouse(url, {
        port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories,
        throttlingMethod: 'simulate', disableFullPageScreenshot: true,
      }, config);
      if (!result.lhr.runtimeError || attempt === 2) return result.lhr;
      console.log(`lighthouse ${url}: ${result.lhr.runtimeError.code}, running again`);
    } finally {
      await chrome.kill();
    }
  }
}

describe('lighthouse', () => {
  for (const path of ['/nl/', '/nl/contact', '/fr/', '/en/contact']) {
    for (const [preset, config] of [['mobile', undefined], ['desktop', desktopConfig]]) {
      it(`${path} (${preset}) scores at least 95 for accessibility, best practices and SEO`, async () => {
        const lhr = await audit(server.base + path, config);
        assert.equal(lhr.runtimeError, undefined, JSON.stringify(lhr.runtimeError));
        const scores = Object.fromEntries(categories.map((c) => [c, Math.round(lhr.categories[c].score * 100)]));
        const weight = Math.round(lhr.audits['total-byte-weight'].numericValue / 1024 * 10) / 10;
        const failing = Object.values(lhr.audits)
          .filter((a) => typeof a.score === 'number' && a.score < 1 && !['informative', 'notApplicable', 'manual'].includes(a.scoreDisplayMode))
          .map((a) => `${a.id} (${a.score})`);
        console.log(`lighthouse ${path} ${preset}: ${JSON.stringify(scores)} weight ${weight} KiB` + (failing.length ? ` below 1: ${failing.join(', ')}` : ''));
        for (const c of categories.filter((c) => c !== 'performance')) assert.ok(scores[c] >= 95, `${c} ${scores[c]} < 95 on ${path} (${preset}); below 1: ${failing.join(', ')}`);
      });
    }
  }
});
