/**
 * Lean participants for the browser benchmark: each is its own browser context with the
 * app's test hook on (lib/call/testHook.ts), joining through the real UI. Unlike
 * e2e/call.ts nothing here asserts; every wait is bounded and throws a clear error.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';

export interface Mark {
  name: string;
  startTime: number;
}

export class BenchParticipant {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;

  private constructor(name: string, context: BrowserContext, page: Page) {
    this.name = name;
    this.context = context;
    this.page = page;
  }

  /** Opens `/r/<roomId>` in a fresh context and types the name on the pre-join screen. */
  static async open(browser: Browser, baseURL: string, roomId: string, name: string, timeoutMs = 30_000): Promise<BenchParticipant> {
    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 720 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(timeoutMs);
      await page.addInitScript(() => localStorage.setItem('confab:test-hook', '1'));
      await page.goto(`/r/${encodeURIComponent(roomId)}`);
      await page.getByLabel('Your name').fill(name);
      return new BenchParticipant(name, context, page);
    } catch (error) {
      await context.close().catch(() => undefined);
      throw error;
    }
  }

  /** Waits until the pre-join preview shows camera frames (media acquisition is done). */
  async waitForPreview(timeoutMs = 20_000): Promise<void> {
    await this.page
      .waitForFunction(() => (document.querySelector<HTMLVideoElement>('video[aria-label="Your camera preview"]')?.videoWidth ?? 0) > 0, undefined, {
        timeout: timeoutMs,
        polling: 50,
      })
      .catch(() => {
        throw new Error(`${this.name}: the camera preview showed no frame within ${timeoutMs / 1000} s`);
      });
  }

  async clickJoin(): Promise<void> {
    await this.page.getByRole('button', { name: 'Join now' }).click();
  }

  async waitInCall(timeoutMs = 20_000): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Call controls' })
      .waitFor({ timeout: timeoutMs })
      .catch(() => {
        throw new Error(`${this.name}: not in the call within ${timeoutMs / 1000} s`);
      });
  }

  async join(timeoutMs = 20_000): Promise<void> {
    await this.clickJoin();
    await this.waitInCall(timeoutMs);
  }

  selfId(): Promise<string> {
    return this.page.evaluate(() => window.__confab!.selfId());
  }

  /** The User Timing marks the app made (lib/call/marks.ts), in page time (ms). */
  marks(): Promise<Mark[]> {
    return this.page.evaluate(() =>
      performance
        .getEntriesByType('mark')
        .filter((entry) => entry.name.startsWith('confab:'))
        .map((entry) => ({ name: entry.name, startTime: entry.startTime })),
    );
  }

  /** Each <video> on the page in a line (label, playing state, size, tracks): for error messages. */
  videos(): Promise<string[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('video')].map((video) => {
        const stream = video.srcObject as MediaStream | null;
        const tracks = stream ? stream.getTracks().map((track) => `${track.kind}:${track.readyState}${track.muted ? ':muted' : ''}`) : [];
        return `"${video.getAttribute('aria-label') ?? ''}" ${video.paused ? 'paused' : 'playing'} readyState=${video.readyState} ${video.videoWidth}×${video.videoHeight} t=${video.currentTime.toFixed(2)} tracks=[${tracks.join(' ')}]`;
      }),
    );
  }

  /**
   * What the page shows and knows of the link to `peerId`, in lines, for an error message:
   * every tile (label, link state, whether it has a <video>), the link's transceivers and
   * its recent negotiation events (the test hook, lib/call/testHook.ts).
   */
  linkReport(peerId: string): Promise<string[]> {
    return this.page.evaluate((id) => {
      const tiles = [...document.querySelectorAll<HTMLElement>('[data-testid="video-tile"]')].map(
        (tile) => `tile "${tile.getAttribute('aria-label') ?? ''}" link=${tile.dataset.link ?? '?'} ${tile.querySelector('video') ? 'video' : 'no video'}`,
      );
      const hook = window.__confab;
      const transceivers = hook ? hook.transceivers(id).map((line) => `transceiver ${line}`) : [];
      const trace = hook ? hook.trace(id).map((line) => `trace ${line}`) : ['no test hook'];
      return [...tiles, ...transceivers, ...trace];
    }, peerId);
  }

  /** Resolves when a mark named `name` exists; false when `timeoutMs` passed first. */
  waitForMark(name: string, timeoutMs: number): Promise<boolean> {
    return this.page
      .waitForFunction((mark) => performance.getEntriesByName(mark, 'mark').length > 0, name, { timeout: timeoutMs, polling: 50 })
      .then(
        () => true,
        () => false,
      );
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

/** Closes all participants, whatever failed before. */
export async function closeAll(participants: readonly BenchParticipant[]): Promise<void> {
  await Promise.all(participants.map((participant) => participant.close()));
}

export function randomRoomId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
