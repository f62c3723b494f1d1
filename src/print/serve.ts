/**
 * Request serving: the confined page. Every request the page makes stops here (CDP's Fetch
 * domain) and is served from the composed page's assets or refused: other paths, file://,
 * http(s), data sent out through images or CSS. What is refused, and what the page's
 * Content-Security-Policy blocked, is listed for the report; other errors of the page are kept
 * for the session to raise.
 */
import { readFileSync } from 'node:fs';
import type { CDPSession, Page, Protocol } from 'puppeteer';
import type { Asset, ComposedPage } from '../compose/compose.js';
import { subsetBytes } from '../fonts/subset.js';

export const ORIGIN = 'https://broadsheet.invalid';

/** What the page did that a build reports: requests refused, errors in the page. */
export class PageLog {
  refused: string[] = [];
  errors: string[] = [];
  clear(): void {
    this.refused = [];
    this.errors = [];
  }
}

/**
 * Serves a tab from `page()` (the page being built: it changes between builds) and listens to
 * its console. Call before the tab loads anything.
 */
export async function confine(
  tab: Page,
  cdp: CDPSession,
  page: () => Pick<ComposedPage, 'html' | 'assets'> | undefined,
  log: PageLog,
): Promise<void> {
  cdp.on('Fetch.requestPaused', (e: Protocol.Fetch.RequestPausedEvent) => serve(cdp, e, page(), log));
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
  tab.on('pageerror', (e) => log.errors.push(String((e as Error).message ?? e)));
  tab.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/violates the following Content Security Policy directive/.test(text)) {
      const what =
        /'([^']+)' violates/.exec(text)?.[1] ??
        /from '([^']+)'/.exec(text)?.[1] ??
        /^(\w+ inline \w+)/.exec(text)?.[1]?.toLowerCase() ??
        'content';
      log.refused.push(`${what} (blocked by the page's security policy)`);
      return;
    }
    const local = /^Not allowed to load local resource: (\S+)/.exec(text);
    if (local) log.refused.push(`${local[1]} (local file)`);
    else if (!/net::ERR_BLOCKED_BY_CLIENT|Failed to load resource/.test(text)) log.errors.push(text);
  });
}

function serve(
  cdp: CDPSession,
  e: Protocol.Fetch.RequestPausedEvent,
  page: Pick<ComposedPage, 'html' | 'assets'> | undefined,
  log: PageLog,
): void {
  const url = e.request.url;
  // a tab may be gone by the time it is answered: that answer is not needed any more
  const answer = (p: Promise<unknown>): void => void p.then(ignore, ignore);
  const respond = (status: number, type: string, body: string) =>
    answer(
      cdp.send('Fetch.fulfillRequest', {
        requestId: e.requestId,
        responseCode: status,
        responseHeaders: [
          { name: 'Content-Type', value: type },
          { name: 'Cache-Control', value: 'no-store' },
        ],
        body,
      }),
    );
  const fail = (errorReason: Protocol.Network.ErrorReason) =>
    answer(cdp.send('Fetch.failRequest', { requestId: e.requestId, errorReason }));
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    /* refused below */
  }
  if (page && u && u.origin === ORIGIN) {
    if (u.pathname === '/page.html')
      return respond(200, 'text/html; charset=utf-8', Buffer.from(page.html).toString('base64'));
    // the browser's own request, not the page's
    if (u.pathname === '/favicon.ico') return respond(404, 'text/plain', '');
    const a = page.assets.get(u.pathname);
    const path = u.pathname;
    if (a && !u.search) {
      return void assetBase64(a).then(
        (body) => respond(200, a.type, body),
        (err: unknown) => {
          log.errors.push(`${path} could not be made: ${String((err as Error).message ?? err)}`);
          fail('Failed');
        },
      );
    }
  }
  log.refused.push(url.length > 200 ? url.slice(0, 200) + '…' : url);
  return fail('BlockedByClient');
}

function ignore(): void {}

/** An asset's bytes as base64: a font subset is made (or read from its cache) when first asked for. */
async function assetBase64(a: Asset): Promise<string> {
  return a.font ? bodyBase64(await subsetBytes(a.font)) : a.body !== undefined ? bodyBase64(a.body) : fileBase64(a);
}

/** Base64 made natively and kept, for files and buffers served again in later builds. */
const base64Files = new Map<string, string>();
const base64Bodies = new WeakMap<Buffer, string>();

function fileBase64(a: Asset): string {
  const file = a.file ?? '';
  let b = base64Files.get(file);
  if (b === undefined) {
    b = readFileSync(file).toString('base64');
    base64Files.set(file, b);
  }
  return b;
}

function bodyBase64(body: Buffer | string): string {
  if (typeof body === 'string') return Buffer.from(body).toString('base64');
  let b = base64Bodies.get(body);
  if (b === undefined) {
    b = body.toString('base64');
    base64Bodies.set(body, b);
  }
  return b;
}
