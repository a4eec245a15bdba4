/**
 * SignalingRoute: a page's signaling sockets through the test, which can lose their frames
 * as a dead network would, or add some (docs/testing.md, "Servers of its own").
 *
 *     const route = new SignalingRoute();
 *     const alice = await call.join('Alice', { prepare: (page) => route.install(page) });
 *     route.silence('both');   // her socket dies without a reset
 */
import type { Page } from '@playwright/test';

/** One of the page's signaling sockets, as SignalingRoute passes it. */
interface RoutedSocket {
  toServer(frame: string): void;
  toPage(frame: string): void;
  /** What no longer passes: frames toward the page, or both ways. */
  silent?: 'toPage' | 'both';
}

/**
 * The page's signaling sockets pass through the test (Playwright's routeWebSocket). The
 * current one can go silent, toward the page or both ways, as a socket that dies without a
 * reset does (the server's own pings are still answered: it sees nothing wrong); sockets
 * opened later pass. The link resets the page sends (`hangup` with reason `reset:<nonce>`,
 * lib/call/RoomClient.ts) can be dropped, and a copy of one sent again. The test sees the
 * methods the page requests, and can send the page frames as if from the server.
 */
export class SignalingRoute {
  /** Drop the page's resets from now on instead of passing them to the server. */
  dropResets = false;
  /** The reset frames the page sent (dropped or not), oldest first. */
  readonly resets: string[] = [];
  /** The reasons of the reset-acks the page received. */
  readonly acks: string[] = [];
  /** The methods of the requests the page sent, oldest first. */
  readonly requests: string[] = [];
  #current: RoutedSocket | undefined;
  #copies = new Set<number>();

  async install(page: Page): Promise<void> {
    await page.routeWebSocket(/\/protoo\b/, (socket) => {
      const server = socket.connectToServer();
      const current: RoutedSocket = { toServer: (frame) => server.send(frame), toPage: (frame) => socket.send(frame) };
      this.#current = current;
      socket.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { method?: string; data?: { reason?: string } };
        if (frame.method) this.requests.push(frame.method);
        const isReset = frame.method === 'hangup' && frame.data?.reason?.startsWith('reset:');
        if (isReset) this.resets.push(String(message));
        if (current.silent !== 'both' && !(isReset && this.dropResets)) server.send(message);
      });
      server.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { id?: number; method?: string; data?: { reason?: string } };
        if (current.silent) return;
        if (frame.method === 'hangup' && frame.data?.reason?.startsWith('reset-ack')) this.acks.push(frame.data.reason);
        // The server's answer to a copy the test sent is not the page's to see.
        if (!(frame.id !== undefined && this.#copies.has(frame.id))) socket.send(message);
      });
    });
  }

  /** The current socket passes nothing more toward the page, or nothing either way. */
  silence(direction: 'toPage' | 'both'): void {
    this.#current!.silent = direction;
  }

  /** Sends the page a frame on its current socket, as if from the server. */
  toPage(frame: string): void {
    this.#current!.toPage(frame);
  }

  /** Sends a reset the page sent once more, as its copy would go, on the page's current socket. */
  resend(frame: string): void {
    const id = 2 ** 40 + this.#copies.size;
    this.#copies.add(id);
    this.#current!.toServer(JSON.stringify({ ...(JSON.parse(frame) as object), id }));
  }
}
