/**
 * Browser tests: the app is built and started in production mode on a free port by
 * `webServer`; every participant gets its own browser context with fake media.
 */
import { defineConfig, devices } from '@playwright/test';
import { freePort } from './e2e/appServer';
import { TEST_CHROMIUM_ARGS, findChromium } from './e2e/browsers';
import { FIREFOX_BIDI_CHANNEL, FIREFOX_PREFS, findFirefox, installBidiWorkaround } from './e2e/firefox';

// Firefox participants: stock Firefox over WebDriver BiDi (see e2e/firefox.ts). The
// workaround must be installed in every process, and the config is loaded in each worker.
installBidiWorkaround();
const firefoxPath = findFirefox();
if (!firefoxPath && !process.env.TEST_WORKER_INDEX) {
  console.log('SKIPPED: cross-browser (Firefox) tests: no Firefox found. Install one: sudo apt-get install firefox-esr, or set FIREFOX_PATH.');
}

// Chosen once in the runner; workers inherit it through the environment.
process.env.CONFAB_E2E_PORT ??= String(await freePort());
const port = Number(process.env.CONFAB_E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /cross-browser\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: findChromium(), args: TEST_CHROMIUM_ARGS },
      },
    },
    // Calls between engines; Chromium participants are launched alongside (e2e/fixtures.ts).
    ...(firefoxPath
      ? [
          {
            name: 'firefox',
            testMatch: /cross-browser\.spec\.ts/,
            use: {
              browserName: 'firefox' as const,
              channel: FIREFOX_BIDI_CHANNEL,
              launchOptions: { executablePath: firefoxPath, firefoxUserPrefs: { ...FIREFOX_PREFS } },
            },
          },
        ]
      : []),
  ],
  webServer: {
    command: 'node scripts/start.mjs',
    url: `${baseURL}/`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    // A shorter reconnect grace than the default 15 s keeps the "tab closed" test short.
    env: { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RECONNECT_GRACE_MS: '10000' },
  },
});
