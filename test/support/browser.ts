import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as assert from 'uvu/assert';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PASSWORD, type testApp } from './app.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export function listen(app: ReturnType<typeof testApp>['app']): Promise<{ server: ServerType; base: string }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({ server, base: `http://127.0.0.1:${info.port}` });
    });
    server.once('error', reject);
  });
}

export function close(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    // Drop keep-alive connections the browser may still hold, or close() waits for them.
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Debian's Chromium, and a page that collects console errors, page errors and CSP violations. */
export async function openBrowser(): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  assert.ok(existsSync(CHROMIUM), `No Chromium at ${CHROMIUM}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.exposeFunction('reportCspViolation', (v: string) => errors.push(`csp: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { browser, page, errors };
}

export type BrowserSession = { page: Page; base: string; errors: string[] };

/**
 * Serves the app on loopback, opens Chromium, runs `work`, then checks no console error, page
 * error or CSP violation happened, and closes everything whatever the outcome.
 */
export async function inBrowser(app: ReturnType<typeof testApp>['app'], work: (session: BrowserSession) => Promise<void>): Promise<void> {
  const { server, base } = await listen(app);
  let browser: Browser | undefined;
  try {
    const opened = await openBrowser();
    browser = opened.browser;
    await work({ page: opened.page, base, errors: opened.errors });
    assert.equal(opened.errors, [], 'no console errors, page errors or CSP violations');
  } finally {
    await browser?.close();
    await close(server);
  }
}

/** Waits until htmx has loaded and processed the page: before that a click means nothing. */
export function htmxReady(page: Page): Promise<unknown> {
  return page.waitForFunction(() => typeof (window as unknown as { htmx?: unknown }).htmx === 'object');
}

export async function signInThroughForm(page: Page, base: string, username: string, landsOn: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('[name=username]', username);
  await page.fill('[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${base}${landsOn}`), page.click('form[action="/login"] button[type=submit]')]);
  await htmxReady(page);
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.1 AA rules on the page as it stands; returns each violation as
 * "rule: selector, …" (empty when clean). Evaluated through the DevTools protocol, so the
 * page's CSP (no inline script) stays as strict as users get it.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}
