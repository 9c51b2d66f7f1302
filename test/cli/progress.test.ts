// Progress output: the line's content, redrawn in place on a TTY, periodic plain lines elsewhere.
import t from 'tap';
import { ProgressReporter, formatProgress } from '../../ts/cli/progress.js';

const state = { epoch: 2, epochs: 5, stepInEpoch: 250, stepsPerEpoch: 500, itersPerSecond: 10, losses: { recon: 0.20123, xent: 0.03 } };

t.test('the progress line: bar, counts, speed, ETA of the whole run, latest losses', async (t) => {
  t.equal(formatProgress(state, 10), 'epoch 2/5 [#####.....] 250/500  10.0 it/s  ETA 2:55  recon 0.2012  xent 0.0300');
  t.match(formatProgress({ ...state, itersPerSecond: 0.1 }), /ETA 4:51:40/);
  t.match(formatProgress({ ...state, itersPerSecond: 0, losses: {} }), /ETA --:--$/);
});

t.test('on a TTY the line is redrawn in place and cleared; elsewhere a plain line per interval', async (t) => {
  const written: string[] = [];
  const tty = new ProgressReporter({ isTTY: true, columns: 60, write: (s) => written.push(s) > 0 });
  tty.update(state);
  tty.update(state);
  tty.clear();
  t.equal(written.length, 3);
  t.ok(written.slice(0, 2).every((w) => w.startsWith('\repoch 2/5') && w.length === 60), 'carriage return, fitted to the terminal width');
  t.match(written[2], /^\r +\r$/);
  const lines: string[] = [];
  const plain = new ProgressReporter({ isTTY: false, write: (s) => lines.push(s) > 0 }, 0);
  plain.update(state);
  t.equal(lines.length, 1);
  t.match(lines[0], /^epoch 2\/5 .*\n$/);
  const quietPipe = new ProgressReporter({ isTTY: false, write: (s) => lines.push(s) > 0 }, 3600);
  quietPipe.update(state);
  t.equal(lines.length, 1, 'no line before the interval has passed');
});
