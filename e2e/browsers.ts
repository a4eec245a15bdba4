/**
 * Which Chromium the browser tests drive: Playwright's own when installed, else a
 * system Chromium, else a clear error saying how to get one.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

const COMMON_ARGS = [
  '--use-fake-ui-for-media-stream',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
];

/**
 * Flags for calls with fake camera and microphone, on a machine with no network but loopback.
 * `fakeFps`: the fake camera's (and fake screen's) frame rate; Chromium's default is 20.
 */
export function chromiumArgs(fakeFps?: number): string[] {
  return [fakeFps === undefined ? '--use-fake-device-for-media-stream' : `--use-fake-device-for-media-stream=fps=${fakeFps}`, ...COMMON_ARGS];
}

/** The benchmark's browsers: fake media at Chromium's default rate, as a user's camera would be. */
export const CHROMIUM_ARGS = chromiumArgs();

/**
 * The browser tests' browsers: fake media at 10 fps. Three or four participants and their
 * encoders share two cores here; at 20 fps such a call saturated the machine (load average
 * 15-25) and Chromium stopped presenting some remote videos. Every check counts frames
 * rising, so a lower rate changes no assertion.
 */
export const TEST_CHROMIUM_ARGS = chromiumArgs(10);

/** Path to a Chromium executable; undefined means Playwright's own. Throws when none exists. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  if (existsSync(chromium.executablePath())) return undefined;
  const system = SYSTEM_CHROMIUMS.find((candidate) => existsSync(candidate));
  if (system) return system;
  throw new Error(
    'No Chromium found for the browser tests. Install one: `npx playwright install chromium`, ' +
      'or on Debian/Ubuntu `sudo apt-get install chromium`, or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}
