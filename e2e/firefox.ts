/**
 * Firefox participants for the browser tests: stock (distribution) Firefox driven over
 * WebDriver BiDi, with a fake camera and microphone.
 *
 * Why each piece exists:
 * - findFirefox(): Playwright's own Firefox build is rarely installed here (no downloads),
 *   but Debian ships Firefox ESR. Playwright cannot drive a stock Firefox over its own
 *   Juggler protocol (that needs Playwright's patched build); it can over WebDriver BiDi.
 * - launchFirefox(): launches with the BiDi channel (`moz-firefox`: any `moz-*` channel
 *   makes playwright-core use its BidiFirefox backend) and an explicit executablePath, so
 *   the channel's default location (/snap/bin/firefox on Linux) is never used.
 * - FIREFOX_PREFS: Firefox has no command-line switches for fake media. BidiFirefox writes
 *   `firefoxUserPrefs` into the user.js of the temporary profile it creates, so prefs work
 *   over BiDi. `grantPermissions` is not supported over BiDi, hence the permission prefs;
 *   without `permissions.default.camera/microphone` Firefox gathers only default-route ICE
 *   candidates (or none), and without the two ICE prefs it neither uses loopback nor
 *   exposes real host addresses (mDNS names that cannot resolve offline). The fake camera
 *   runs at 10 fps, as Chromium's does in the tests (e2e/browsers.ts).
 * - installBidiWorkaround(): Playwright 1.65 sends the BiDi command
 *   `emulation.setMediaFeaturesOverride` (prefers-color-scheme) for every new context and
 *   page; Firefox ESR 153 answers "unknown command", so `browser.newContext()` fails. The
 *   patch wraps `WebSocketTransport.prototype.send` in playwright-core (the transport
 *   BidiFirefox's BidiConnection writes to) and answers that one command locally with an
 *   empty success result; the command never reaches Firefox. Effect: colorScheme emulation
 *   is a no-op on Firefox. The patch touches Playwright internals, so it checks that they
 *   exist and throws, naming the Playwright version, when they do not. It must run in
 *   every process that launches Firefox: import this module from playwright.config.ts
 *   and call installBidiWorkaround() there (the config is loaded in every test worker);
 *   launchFirefox() also calls it.
 *
 * Not available over BiDi: context.grantPermissions(). Pages must be served from
 * http://127.0.0.1 or http://localhost (a secure context) for getUserMedia.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { firefox, type Browser, type LaunchOptions } from '@playwright/test';

/** The Playwright channel that selects the WebDriver BiDi backend for Firefox. */
export const FIREFOX_BIDI_CHANNEL = 'moz-firefox';

/** The playwright-core version this workaround was written against and verified with. */
const VERIFIED_PLAYWRIGHT_VERSION = '1.65.1';
/** The one BiDi command answered locally instead of by Firefox. */
const STUBBED_BIDI_COMMAND = 'emulation.setMediaFeaturesOverride';
/** Marks a patched prototype; Symbol.for so a second copy of this module sees it too. */
const PATCHED = Symbol.for('confab.e2e.firefoxBidiWorkaround');

const SYSTEM_FIREFOXES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

/** Fake camera and microphone, no permission prompts, and ICE candidates on loopback. */
export const FIREFOX_PREFS: Readonly<Record<string, boolean | number>> = Object.freeze({
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.navigator.video.default_fps': 10,
});

/**
 * Path to a Firefox executable: FIREFOX_PATH when set, else Playwright's own Firefox when
 * installed, else a system Firefox; undefined when there is none.
 */
export function findFirefox(): string | undefined {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const own = firefox.executablePath();
  if (own && existsSync(own)) return own;
  return SYSTEM_FIREFOXES.find((candidate) => existsSync(candidate));
}

/** The parts of a BiDi message the patch reads. */
interface ProtocolMessage {
  id?: unknown;
  method?: unknown;
}

/** The parts of playwright-core's WebSocketTransport the patch touches. */
interface TransportLike {
  onmessage?: (message: object) => void;
}
type Send = (this: TransportLike, message: ProtocolMessage) => void;
interface TransportPrototype {
  send?: unknown;
  [PATCHED]?: true;
}

function describeCore(): { version: string; bundle: unknown; where: string } {
  // Resolve playwright-core the way the test runner does (@playwright/test -> playwright
  // -> playwright-core), so the patched class is the one the runner's browsers use.
  const fromHere = createRequire(import.meta.url);
  const fromTest = createRequire(fromHere.resolve('@playwright/test/package.json'));
  const fromPlaywright = createRequire(fromTest.resolve('playwright/package.json'));
  const where = fromPlaywright.resolve('playwright-core/package.json');
  const pkg = fromPlaywright('playwright-core/package.json') as { version?: unknown };
  const version = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  let bundle: unknown;
  try {
    bundle = fromPlaywright('playwright-core/lib/coreBundle');
  } catch (error) {
    throw new Error(
      `installBidiWorkaround: playwright-core ${version} (${where}) has no 'playwright-core/lib/coreBundle' ` +
        `(written for ${VERIFIED_PLAYWRIGHT_VERSION}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return { version, bundle, where };
}

/**
 * Makes playwright-core answer `emulation.setMediaFeaturesOverride` locally with an empty
 * success result. Idempotent. Throws when the internals it patches are not there.
 */
export function installBidiWorkaround(): void {
  const { version, bundle, where } = describeCore();
  const fail = (what: string): never => {
    throw new Error(
      `installBidiWorkaround: Playwright internals not found in playwright-core ${version} (${where}): ${what}. ` +
        `This workaround was written for ${VERIFIED_PLAYWRIGHT_VERSION}; Firefox over WebDriver BiDi needs ` +
        `'${STUBBED_BIDI_COMMAND}' answered locally, so update e2e/firefox.ts for this Playwright version.`,
    );
  };
  const server = (bundle as { server?: unknown } | null)?.server;
  if (typeof server !== 'object' || server === null) return fail("coreBundle exports no 'server'");
  const transportClass = (server as { WebSocketTransport?: unknown }).WebSocketTransport;
  if (typeof transportClass !== 'function') return fail("coreBundle.server exports no class 'WebSocketTransport'");
  const proto = (transportClass as { prototype?: unknown }).prototype as TransportPrototype | undefined;
  if (!proto || typeof proto.send !== 'function') return fail("WebSocketTransport.prototype.send is not a function");
  if (proto[PATCHED]) return;

  const originalSend = proto.send as Send;
  const send: Send = function (this: TransportLike, message: ProtocolMessage): void {
    if (message.method === STUBBED_BIDI_COMMAND && typeof message.id === 'number') {
      const reply = { type: 'success', id: message.id, result: {} };
      // Replies from the socket are delivered on setImmediate too; keep that ordering.
      setImmediate(() => this.onmessage?.(reply));
      return;
    }
    originalSend.call(this, message);
  };
  proto.send = send;
  proto[PATCHED] = true;
}

/**
 * Launches Firefox over WebDriver BiDi, headless, with FIREFOX_PREFS (merged under any
 * `firefoxUserPrefs` given). Installs the BiDi workaround first.
 */
export async function launchFirefox(options: LaunchOptions = {}): Promise<Browser> {
  installBidiWorkaround();
  const executablePath = options.executablePath ?? findFirefox();
  if (!executablePath) {
    throw new Error(
      'No Firefox found for the browser tests. On Debian/Ubuntu `sudo apt-get install firefox-esr`, ' +
        'or set FIREFOX_PATH to a Firefox binary.',
    );
  }
  return firefox.launch({
    headless: true,
    ...options,
    channel: FIREFOX_BIDI_CHANNEL,
    executablePath,
    firefoxUserPrefs: { ...FIREFOX_PREFS, ...options.firefoxUserPrefs },
  });
}
