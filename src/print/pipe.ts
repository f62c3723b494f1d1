/**
 * The DevTools protocol over the pipe Chromium opens with --remote-debugging-pipe (its fds 3
 * and 4): every message is JSON ended by a NUL byte. A ConnectionTransport, the interface
 * through which Puppeteer's public connect() takes a connection it did not make.
 */
import type { ConnectionTransport } from 'puppeteer';

export class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;
  /** the start of a message whose NUL has not arrived yet */
  private partial: Buffer[] = [];
  private closed = false;

  constructor(
    private readonly toBrowser: NodeJS.WritableStream,
    private readonly fromBrowser: NodeJS.ReadableStream,
  ) {
    fromBrowser.on('data', this.read);
    fromBrowser.once('close', this.end);
    // a pipe to a browser that died fails its writes (EPIPE): the read side's close ends the connection
    toBrowser.on('error', ignore);
    fromBrowser.on('error', ignore);
  }

  send(message: string): void {
    if (this.closed) return;
    this.toBrowser.write(message);
    this.toBrowser.write('\0');
  }

  /** Puppeteer closes the transport itself (it has already taken the connection as closed). */
  close(): void {
    this.stop();
  }

  private readonly read = (chunk: Buffer): void => {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; start = end + 1, end = chunk.indexOf(0, start)) {
      const piece = chunk.subarray(start, end);
      const whole = this.partial.length ? Buffer.concat([...this.partial, piece]) : piece;
      this.partial = [];
      this.onmessage?.(whole.toString('utf8'));
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  };

  /** The browser closed the pipe (it exited, or was killed). */
  private readonly end = (): void => {
    if (this.stop()) this.onclose?.();
  };

  private stop(): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.fromBrowser.removeListener('data', this.read);
    return true;
  }
}

function ignore(): void {}
