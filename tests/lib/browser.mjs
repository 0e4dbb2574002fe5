// Launches Debian's Chromium through playwright-core (no browser download).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { SOURCE, startServer } from './harness.mjs';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function signIn(page, base, username, password = 'parley-demo') {
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A secretariat lands on its week, everyone else on the directory; the tests start
  // from the directory (the secretariat's landing has a test of its own).
  const landing = page.getByRole('heading', { name: /^(Directory of points of contact|What needs the secretariat)$/ });
  await landing.waitFor();
  if ((await landing.innerText()) !== 'Directory of points of contact') {
    await page.goto(`${base}/#/directory`);
    await page.getByRole('heading', { name: 'Directory of points of contact' }).waitFor();
  }
}

// A browser test file's fixtures: Parley with the demo data and Chromium, started before
// its tests and stopped after them; screenshots go to build-e2e-screenshots/.
// `server` is passed to startServer (e.g. extraArgs).
export function browserSuite({ server = {} } = {}) {
  const suite = { server: null, browser: null, shots: join(SOURCE, 'build-e2e-screenshots') };
  before(async () => {
    mkdirSync(suite.shots, { recursive: true });
    suite.server = await startServer(server);
    suite.browser = await launch();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
    suite.server?.cleanup();
  });
  return suite;
}
