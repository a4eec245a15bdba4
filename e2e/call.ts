/**
 * Call helpers for browser tests: participants that join a room through the real UI,
 * and checks on real media read from the app's test hook (lib/call/testHook.ts).
 * docs/testing.md shows how to use them.
 */
import { loadavg } from 'node:os';
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { selectedPair } from '../lib/call/stats';

export interface JoinOptions {
  /** Turn the camera or microphone off on the pre-join screen. */
  camera?: boolean;
  microphone?: boolean;
  viewport?: { width: number; height: number };
  /** Another server than the suite's (see appServer.ts). */
  baseURL?: string;
  /** The browser engine (default: the project's). */
  engine?: 'chromium' | 'firefox';
  /** Runs on the new page before it loads the room (init scripts, routes). */
  prepare?: (page: Page) => Promise<void>;
}

type StatsEntry = Record<string, unknown> & { type: string; kind?: string };

/** Poll often: media checks are on a loaded machine, but each sample is cheap. */
const POLL = [100, 200, 300, 500];

/** getStats() fields a failure report shows for each end of a video stream. */
const INBOUND_VIDEO_FIELDS = ['mid', 'trackIdentifier', 'framesReceived', 'framesDecoded', 'framesDropped', 'framesPerSecond', 'frameWidth', 'frameHeight', 'freezeCount', 'pliCount'];
const OUTBOUND_VIDEO_FIELDS = ['mid', 'framesSent', 'framesEncoded', 'framesPerSecond', 'frameWidth', 'frameHeight', 'qualityLimitationReason', 'targetBitrate'];

export class Participant {
  readonly name: string;
  readonly roomId: string;
  readonly page: Page;
  readonly context: BrowserContext;

  constructor(name: string, roomId: string, page: Page) {
    this.name = name;
    this.roomId = roomId;
    this.page = page;
    this.context = page.context();
  }

  /** Opens the room page in a new browser context and fills the pre-join form. */
  static async open(browser: Browser, roomId: string, name: string, options: JoinOptions = {}): Promise<Participant> {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 720 }, ...(options.baseURL ? { baseURL: options.baseURL } : {}) });
    const page = await context.newPage();
    await page.addInitScript(() => localStorage.setItem('confab:test-hook', '1'));
    await options.prepare?.(page);
    await page.goto(`/r/${roomId}`);
    const participant = new Participant(name, roomId, page);
    await participant.fillPreJoin(options);
    return participant;
  }

  /** Clicks Join on the pre-join screen and waits until in the call. */
  async clickJoin(): Promise<void> {
    await this.page.getByRole('button', { name: 'Join now' }).click();
    await this.expectInCall();
  }

  /**
   * Types into a text field like a user. (`fill` over WebDriver BiDi sets the value
   * without the input events React listens to, so Firefox needs real typing.)
   */
  async type(field: Locator, text: string): Promise<void> {
    await field.fill('');
    await field.pressSequentially(text);
    await expect(field).toHaveValue(text);
  }

  async fillPreJoin(options: JoinOptions = {}): Promise<void> {
    await this.type(this.page.getByLabel('Your name'), this.name);
    if (options.camera === false) await this.page.getByRole('button', { name: 'Turn camera off' }).click();
    if (options.microphone === false) await this.page.getByRole('button', { name: 'Turn microphone off' }).click();
  }

  async expectInCall(): Promise<void> {
    await expect(this.page.getByRole('navigation', { name: 'Call controls' })).toBeVisible({ timeout: 20_000 });
  }

  /** The tile showing `other`'s camera (or screen). */
  tile(other: Participant | string, kind: 'camera' | 'screen' = 'camera'): Locator {
    const name = typeof other === 'string' ? other : other.name;
    const label = kind === 'screen' ? `${name}'s screen` : name;
    return this.page.locator(`[data-testid="video-tile"][data-kind="${kind}"][aria-label="${label}"]`);
  }

  /** Our own peer id. */
  peerId(): Promise<string> {
    return this.page.evaluate(() => window.__confab!.selfId());
  }

  /** The peer id of `other` as this participant knows it (from its tile). */
  async peerIdOf(other: Participant): Promise<string> {
    await expect(this.tile(other)).toHaveCount(1, { timeout: 20_000 });
    return (await this.tile(other).getAttribute('data-tile-id'))!;
  }

  /** The events of our link to `other` that match `pattern`, in order, without their times (PeerLink's trace). */
  async linkEvents(other: Participant, pattern: RegExp): Promise<string[]> {
    const id = await this.peerIdOf(other);
    const trace = await this.page.evaluate((peerId) => window.__confab!.trace(peerId), id);
    return trace.map((line) => line.replace(/^\d+ /, '')).filter((event) => pattern.test(event));
  }

  /** The descriptions our link to `other` has sent and received, in order ('send offer', 'recv answer', …). */
  negotiation(other: Participant): Promise<string[]> {
    return this.linkEvents(other, /^(send|recv) (offer|answer)$/);
  }

  /** getStats() of our link to `other`, as plain objects. */
  async stats(other: Participant): Promise<StatsEntry[]> {
    const id = await this.peerIdOf(other);
    return this.page.evaluate((peerId) => window.__confab!.stats(peerId), id) as Promise<StatsEntry[]>;
  }

  /** Sum of a numeric inbound-rtp field over our link to `other`, for one kind (video: the track with the most frames). */
  async inbound(other: Participant, kind: 'audio' | 'video', field: string): Promise<number> {
    const entries = (await this.stats(other)).filter((entry) => entry.type === 'inbound-rtp' && entry.kind === kind);
    return entries.reduce((sum, entry) => sum + (Number(entry[field]) || 0), 0);
  }

  /** What our link to `other` looks like (transceivers, inbound video, negotiation trace), for failure messages. */
  async linkReport(other: Participant): Promise<string> {
    try {
      const id = await this.peerIdOf(other);
      const [transceivers, trace] = await this.page.evaluate((peerId) => [window.__confab!.transceivers(peerId), window.__confab!.trace(peerId)], id);
      // Only the fields an entry has: `name=value` each.
      const describe = (entry: StatsEntry, fields: readonly string[]): string =>
        [entry.type, ...fields.filter((field) => entry[field] !== undefined).map((field) => `${field}=${String(entry[field])}`)].join(' ');
      const video = (await this.stats(other))
        .filter((entry) => entry.type === 'inbound-rtp' && entry.kind === 'video')
        .map((entry) => describe(entry, INBOUND_VIDEO_FIELDS));
      const sent = (await other.stats(this))
        .filter((entry) => (entry.type === 'outbound-rtp' || entry.type === 'media-source') && entry.kind === 'video')
        .map((entry) => describe(entry, OUTBOUND_VIDEO_FIELDS));
      const local = await other.page.evaluate(() =>
        [...document.querySelectorAll('video')].map((element) => {
          const track = (element.srcObject as MediaStream | null)?.getVideoTracks()[0];
          const stats = (track as unknown as { stats?: { deliveredFrames: number; discardedFrames: number; totalFrames: number } })?.stats;
          return `${track?.label ?? '-'} ${JSON.stringify(track?.getSettings().frameRate)} ${stats ? `total=${stats.totalFrames} delivered=${stats.deliveredFrames} discarded=${stats.discardedFrames}` : ''}`;
        }),
      );
      return [`${this.name}'s link to ${other.name}:`, ...transceivers, 'inbound video:', ...video, `${other.name}'s outbound video:`, ...sent, `${other.name}'s videos:`, ...local, 'trace:', ...trace, `load average: ${loadavg().map((load) => load.toFixed(1)).join(' ')}`].join('\n  ');
    } catch (error) {
      return `(no link report: ${error instanceof Error ? error.message : String(error)})`;
    }
  }

  /**
   * `other`'s video really plays here: frames decoded keep rising, the <video> has a size
   * and presents new frames (video frame callbacks or the compositor's playback quality).
   * With `{ rendered: false }` the element's presented frames are not counted: only that
   * frames decode and the element has a size.
   */
  async expectVideoFrom(other: Participant, kind: 'camera' | 'screen' = 'camera', { rendered = true }: { rendered?: boolean } = {}): Promise<void> {
    await test.step(`${this.name} ${rendered ? 'sees' : 'decodes'} ${other.name}'s ${kind}`, () => this.#expectVideoFrom(other, kind, rendered), { box: true });
  }

  async #expectVideoFrom(other: Participant, kind: 'camera' | 'screen', checkRendered: boolean): Promise<void> {
    const started = Date.now();
    const tile = this.tile(other, kind);
    if (kind === 'camera') await expect(tile).toHaveAttribute('data-link', 'connected', { timeout: 30_000 });
    else await expect(tile).toHaveCount(1, { timeout: 30_000 });
    const video = tile.locator('video');
    await expect(video).toHaveCount(1);
    // The frames decoded for exactly the track this tile shows (camera and screen are separate tracks).
    const trackId = (): Promise<string | null> => video.evaluate((element: HTMLVideoElement) => (element.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id ?? null);
    const inbound = async (field: 'framesDecoded' | 'frameWidth'): Promise<number> => {
      const id = await trackId();
      const entry = (await this.stats(other)).find((e) => e.type === 'inbound-rtp' && e.kind === 'video' && e.trackIdentifier === id);
      return Number(entry?.[field]) || 0;
    };
    const decoded = (): Promise<number> => inbound('framesDecoded');
    // Frames the element presented within a second, by two measures: requestVideoFrameCallback
    // (best effort: it runs on the page's main thread, which a saturated machine starves) and
    // the compositor's own count, getVideoPlaybackQuality() (frames given to it minus those
    // it dropped). Either rising means new frames reach the screen.
    const rendered = (): Promise<number> =>
      video.evaluate(
        (element: HTMLVideoElement) =>
          new Promise<number>((resolve) => {
            const shown = (): number => {
              const quality = element.getVideoPlaybackQuality();
              return quality.totalVideoFrames - quality.droppedVideoFrames;
            };
            const shownBefore = shown();
            let callbacks = 0;
            const onFrame = (): void => {
              callbacks++;
              element.requestVideoFrameCallback(onFrame);
            };
            element.requestVideoFrameCallback(onFrame);
            setTimeout(() => resolve(Math.max(callbacks, shown() - shownBefore)), 1000);
          }),
      );
    // A failure says what state the element and both ends of the link are in.
    const state = (): Promise<string> =>
      video.evaluate((element: HTMLVideoElement) => {
        const stream = element.srcObject as MediaStream | null;
        const track = stream?.getVideoTracks()[0];
        const quality = element.getVideoPlaybackQuality();
        return (
          `paused=${element.paused} readyState=${element.readyState} stream.active=${stream?.active} track=${track?.readyState}${track?.muted ? ' muted' : ''} ` +
          `playback quality: total=${quality.totalVideoFrames} dropped=${quality.droppedVideoFrames}`
        );
      });
    // Every step fails with the report: what state the element and both ends of the link
    // were in. (The size step once had none, and its failure read like missing frames.)
    const poll = (what: string, value: () => Promise<number>, above: number): Promise<void> =>
      expect
        .poll(value, { timeout: 15_000, intervals: POLL, message: `${this.name} ${what} ${other.name}'s ${kind}` })
        .toBeGreaterThan(above)
        .catch(async (error: unknown) => {
          throw new Error(`${error instanceof Error ? error.message : String(error)}\nthe <video>: ${await state().catch(() => 'gone')}\n${await this.linkReport(other)}`);
        });
    await poll('decodes', decoded, await decoded());
    if (checkRendered) {
      await poll('has the size of', () => video.evaluate((element: HTMLVideoElement) => element.videoWidth), 0);
      await poll('renders', rendered, 0);
    } else {
      // The element's size comes with the first frame it presents, which a saturated
      // machine can hold back for tens of seconds (docs/testing.md, "Known limits"):
      // decoding, the decoder's frame size says the frames are real.
      await poll('decodes the size of', () => inbound('frameWidth'), 0);
    }
    if (process.env.CONFAB_E2E_TIMING) console.log(`${this.name} sees ${other.name}'s ${kind}: ${Date.now() - started} ms`);
  }

  /** `other`'s audio really flows here: packets and energy keep rising. */
  async expectAudioFrom(other: Participant): Promise<void> {
    const packets = (): Promise<number> => this.inbound(other, 'audio', 'packetsReceived');
    const energy = (): Promise<number> => this.inbound(other, 'audio', 'totalAudioEnergy');
    const [p0, e0] = [await packets(), await energy()];
    await expect.poll(packets, { timeout: 15_000, intervals: POLL, message: `${this.name} receives audio packets from ${other.name}` }).toBeGreaterThan(p0);
    await expect.poll(energy, { timeout: 15_000, intervals: POLL, message: `${this.name} hears ${other.name}` }).toBeGreaterThan(e0);
  }

  /** The two ends of the selected candidate pair of our link to `other`: each end's type (host, srflx, prflx, relay) and `address:port`. */
  async selectedCandidatePair(other: Participant): Promise<{ local: CandidateEnd; remote: CandidateEnd }> {
    const entries = await this.stats(other);
    const byId = new Map(entries.map((entry) => [String(entry.id), entry]));
    const pair = selectedPair(byId);
    if (!pair) throw new Error(`${this.name}: no selected candidate pair towards ${other.name}`);
    const end = (id: unknown): CandidateEnd => {
      const candidate = byId.get(String(id));
      if (typeof candidate?.address !== 'string' || typeof candidate.port !== 'number') {
        throw new Error(`${this.name}: candidate ${String(id)} towards ${other.name} has no address and port in its stats`);
      }
      return { type: String(candidate.candidateType), address: addressOf(candidate) };
    };
    return { local: end(pair.localCandidateId), remote: end(pair.remoteCandidateId) };
  }

  /** The `address:port` of every relay candidate we gathered for our link to `other`. */
  async relayAddresses(other: Participant): Promise<string[]> {
    const entries = await this.stats(other);
    return entries
      .filter((entry) => entry.type === 'local-candidate' && entry.candidateType === 'relay')
      .map(addressOf);
  }

  // ---- actions, through the UI ------------------------------------------------

  async toggleMicrophone(): Promise<void> {
    await this.page.getByRole('button', { name: /microphone \(M\)/ }).click();
  }

  async toggleCamera(): Promise<void> {
    await this.page.getByRole('button', { name: /camera (on|off) \(V\)/ }).click();
  }

  async toggleScreenShare(): Promise<void> {
    await this.page.getByRole('button', { name: /(share|sharing) your screen/i }).click();
  }

  async openPanel(name: 'Chat' | 'Participants' | 'Connection stats' | 'Devices'): Promise<void> {
    const button = this.page.getByRole('navigation', { name: 'Call controls' }).getByRole('button', { name: new RegExp(`^${name}`) });
    if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
  }

  /** Sends a chat message, to everyone or privately to `to`. */
  async chat(text: string, to?: Participant): Promise<void> {
    await this.openPanel('Chat');
    await this.page.getByLabel('To').selectOption(to ? { label: `${to.name} (private)` } : { label: 'Everyone' });
    const box = this.page.getByRole('textbox', { name: 'Message' });
    await this.type(box, text);
    await box.press('Enter');
    await expect(box).toHaveValue('');
  }

  /** The chat messages shown here, as "<sender>: <text>". */
  chatMessages(): Locator {
    return this.page.getByTestId('chat-message');
  }

  async setPresence(label: 'Available' | 'Away' | 'Busy' | 'Away for a while', status?: string): Promise<void> {
    await this.openPanel('Participants');
    await this.page.getByLabel('Your status').selectOption({ label });
    if (status !== undefined) {
      await this.type(this.page.getByLabel('Status message'), status);
      await this.page.getByLabel('Status message').press('Enter');
    }
  }

  async leave(): Promise<void> {
    await this.page.getByRole('button', { name: 'Leave call' }).click();
    await expect(this.page.getByTestId('end-screen')).toHaveAttribute('data-reason', 'left');
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.fillPreJoin();
    await this.page.getByRole('button', { name: 'Join now' }).click();
    await this.expectInCall();
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

/** A candidate's transport address, `address:port`. */
function addressOf(candidate: StatsEntry): string {
  return `${String(candidate.address)}:${String(candidate.port)}`;
}

export interface CandidateEnd {
  type: string;
  address: string;
}

/**
 * Media between `a` and `b` goes through TURN both ways: each side's selected pair starts at one of
 * its own relay candidates and ends at one of the other's. The far end is checked by address, not
 * type: a connectivity check can arrive before the candidate it comes from is signaled, and Firefox
 * then keeps calling that end peer-reflexive. Each browser may hold several relay candidates (one per
 * network interface), and the two sides' stats may name different ones of them for a moment.
 */
export async function expectRelayed(a: Participant, b: Participant): Promise<void> {
  const [ab, ba] = [await a.selectedCandidatePair(b), await b.selectedCandidatePair(a)];
  expect({ [a.name]: ab.local.type, [b.name]: ba.local.type }).toEqual({ [a.name]: 'relay', [b.name]: 'relay' });
  expect(await b.relayAddresses(a), `${a.name}'s pair ends at a relay of ${b.name}'s`).toContain(ab.remote.address);
  expect(await a.relayAddresses(b), `${b.name}'s pair ends at a relay of ${a.name}'s`).toContain(ba.remote.address);
}

/** Peer joins and leaves the page has seen ("joined:<id>", "left:<id>"). */
export function peerEvents(participant: Participant): Promise<string[]> {
  return participant.page.evaluate(() => window.__confab!.peerEvents());
}
