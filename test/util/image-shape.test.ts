// --image-shape=HxW[xC]: parsed into a shape, or one UsageError line naming the flag and what was expected.
import t from 'tap';
import { formatImageShape, imageSize, parseImageShape, squareGreyShape } from '../../ts/util/image-shape.js';

t.test('HxW is grey, HxWxC has C channels', async (t) => {
  t.same(parseImageShape('32x32x3'), { height: 32, width: 32, channels: 3 });
  t.same(parseImageShape('28x20'), { height: 28, width: 20, channels: 1 });
  t.same(parseImageShape('5x7x1'), { height: 5, width: 7, channels: 1 });
  t.equal(imageSize(parseImageShape('32x24x3')), 2304);
  t.equal(formatImageShape({ height: 32, width: 24, channels: 3 }), '32x24x3');
  t.equal(formatImageShape({ height: 28, width: 28, channels: 1 }), '28x28');
});

t.test('bad shapes are one line naming the flag, the value and what was expected', async (t) => {
  const cases: [string, string][] = [
    ['32', '--image-shape=32: expected HxW or HxWxC in pixels, e.g. --image-shape=32x32x3'],
    ['32x32x3x1', '--image-shape=32x32x3x1: expected HxW or HxWxC in pixels, e.g. --image-shape=32x32x3'],
    ['32*32', '--image-shape=32*32: expected HxW or HxWxC in pixels, e.g. --image-shape=32x32x3'],
    ['-2x4', '--image-shape=-2x4: expected HxW or HxWxC in pixels, e.g. --image-shape=32x32x3'],
    ['0x32', '--image-shape=0x32: height must be in [1, 65536], got 0'],
    ['32x0x3', '--image-shape=32x0x3: width must be in [1, 65536], got 0'],
    ['32x32x4', '--image-shape=32x32x4: 4 channels; expected 1 (grey) or 3 (RGB)'],
    ['32x32x2', '--image-shape=32x32x2: 2 channels; expected 1 (grey) or 3 (RGB)'],
  ];
  for (const [text, message] of cases) t.throws(() => parseImageShape(text), { name: 'UsageError', message }, text);
});

t.test('square grey shapes of a flat size', async (t) => {
  t.same(squareGreyShape(784), { height: 28, width: 28, channels: 1 });
  t.same(squareGreyShape(1), { height: 1, width: 1, channels: 1 });
  t.equal(squareGreyShape(3072), undefined);
  t.equal(squareGreyShape(0), undefined);
});
