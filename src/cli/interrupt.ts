/**
 * Ctrl-C (or SIGTERM) during a command that prints or writes: the browsers it started and their
 * profiles go, no temporary file stays, the previous output is kept, exit 130.
 */
import { msg } from '../messages.js';
import { removePendingWrites } from '../output/write.js';
import { endEarlySignals, killAllBrowsers } from '../print/browser.js';

/** Puts the command's own signal handlers in place (instead of the early ones); returns what removes them. */
export function onInterrupt(err: NodeJS.WriteStream): () => void {
  const onSignal = (sig: NodeJS.Signals) => {
    killAllBrowsers();
    removePendingWrites();
    err.write(msg.interrupted(sig));
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  endEarlySignals(); // after ours are in place: a signal already on its way is not lost
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}
