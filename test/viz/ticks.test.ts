// Axis ticks: nice steps, axes widened to whole ticks, integer axes in whole numbers, labels without float noise.
import t from 'tap';
import { niceTicks } from '../../ts/viz/ticks.js';

t.test('epoch and iteration axes are labelled with integers', async (t) => {
  t.same(niceTicks(1, 2, { integer: true }).labels, ['1', '2']);
  t.same(niceTicks(1, 3, { integer: true }).labels, ['1', '2', '3']);
  t.same(niceTicks(1, 12, { integer: true }).labels, ['0', '2', '4', '6', '8', '10', '12']);
  t.same(niceTicks(1, 1, { integer: true }).labels, ['0', '1', '2'], 'a single epoch');
  const iterations = niceTicks(50, 663, { integer: true });
  t.same(iterations.labels, ['0', '100', '200', '300', '400', '500', '600', '700']);
  t.same([iterations.min, iterations.max], [0, 700], 'the axis spans whole ticks');
  t.same(niceTicks(2, 12, { integer: true }).labels, ['2', '4', '6', '8', '10', '12']);
});

t.test('value axes: nice steps, the same decimals on every label, no float noise', async (t) => {
  const loss = niceTicks(2.18e-8, 1.93);
  t.same(loss.labels, ['0.0', '0.5', '1.0', '1.5', '2.0'], 'a range of about 0..2 starts at 0, not at 2.18e-8');
  t.same([loss.min, loss.max], [0, 2]);
  t.same(niceTicks(0.0312, 0.2941).labels, ['0.00', '0.05', '0.10', '0.15', '0.20', '0.25', '0.30']);
  t.same(niceTicks(0.1, 0.3, { count: 2 }).values, [0.1, 0.2, 0.3], 'multiples of 0.1 are exact');
  t.same(niceTicks(-3.2, 4.7).labels, ['-4', '-2', '0', '2', '4', '6']);
  t.same(niceTicks(-0.4, 0).labels, ['-0.4', '-0.3', '-0.2', '-0.1', '0.0'], 'no "-0"');
  t.same(niceTicks(0.5, 0.5).labels, ['0.44', '0.46', '0.48', '0.50', '0.52', '0.54', '0.56'], 'a constant series gets an axis around it');
  t.same(niceTicks(0, 0).labels, ['-1.0', '-0.5', '0.0', '0.5', '1.0']);
});

t.test('very large and very small values use exponent notation with one precision per axis', async (t) => {
  t.same(niceTicks(0, 3e7).labels, ['0', '5.0e+6', '1.0e+7', '1.5e+7', '2.0e+7', '2.5e+7', '3.0e+7']);
  t.same(niceTicks(1e-6, 4e-6).labels, ['1.0e-6', '1.5e-6', '2.0e-6', '2.5e-6', '3.0e-6', '3.5e-6', '4.0e-6']);
});

t.test('every tick covers the data and labels are short', async (t) => {
  for (const [lo, hi] of [[0.013, 0.0171], [1e-3, 7], [-1e5, 1e5], [693.1, 693.9], [0.9999, 1.0001], [1e-4, 4e-4]] as const) {
    const ticks = niceTicks(lo, hi);
    t.ok(ticks.min <= lo && ticks.max >= hi, `[${lo}, ${hi}] inside [${ticks.min}, ${ticks.max}]`);
    t.ok(ticks.values.length >= 2 && ticks.values.length <= 12, `[${lo}, ${hi}]: ${ticks.values.length} ticks`);
    t.ok(ticks.labels.every((l) => l.length <= 8), `[${lo}, ${hi}]: short labels ${ticks.labels.join(' ')}`);
    t.equal(new Set(ticks.labels).size, ticks.labels.length, `[${lo}, ${hi}]: distinct labels`);
  }
  t.throws(() => niceTicks(0, Infinity), /the range must be finite/);
});
