/** The logger: progress on a terminal, warnings always; tests pass their own to capture. */
export interface Logger {
  progress(stage: string): void;
  warn(text: string): void;
  info(text: string): void;
}

export const silentLogger: Logger = { progress() {}, warn() {}, info() {} };

export function terminalLogger(stream: NodeJS.WriteStream = process.stderr): Logger {
  const tty = stream.isTTY === true;
  return {
    progress(stage) {
      if (tty) stream.write(`\r\x1b[2K… ${stage}`);
    },
    warn(text) {
      if (tty) stream.write('\r\x1b[2K');
      stream.write(`warning: ${text}\n`);
    },
    info(text) {
      if (tty) stream.write('\r\x1b[2K');
      stream.write(`${text}\n`);
    },
  };
}

export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    progress: () => {},
    warn: (t) => lines.push(`warning: ${t}`),
    info: (t) => lines.push(t),
  };
}
