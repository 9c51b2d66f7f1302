// randomTranslate on the reference backend, read against its definition: each image moves by the (dx, dy) that
// translationShifts draws for it, pixels shifted out are lost and the uncovered border is zero; every channel
// moves together; the draws cover [-N, N] evenly and a seed fixes them.
import t from 'tap';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { translationShifts } from '../../ts/rng.js';

const be = new ReferenceBackend();

t.test('each image is its source moved by the drawn shift, with zero fill', async (t) => {
  const [rows, H, W, C, N] = [40, 5, 6, 2, 2];
  const src = Float32Array.from({ length: rows * H * W * C }, (_, i) => 1 + (i % 997));
  const x = be.tensor([rows, H * W * C], src);
  const out = be.tensor([rows, H * W * C]);
  const rng = { seed: 4, offset: 17 };
  be.randomTranslate(x, out, { ...rng, height: H, width: W, maxShift: N });
  const got = be.download(out);
  const shifts = translationShifts(rng.seed, rng.offset, rows, N);
  let mismatches = 0;
  for (let i = 0; i < rows; i++) {
    const [dx, dy] = [shifts[2 * i]!, shifts[2 * i + 1]!];
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < W; c++) {
        for (let ch = 0; ch < C; ch++) {
          const [sr, sc] = [r - dy, c - dx];
          const want = sr >= 0 && sr < H && sc >= 0 && sc < W ? src[i * H * W * C + (sr * W + sc) * C + ch]! : 0;
          if (got[i * H * W * C + (r * W + c) * C + ch] !== want) mismatches++;
        }
      }
    }
  }
  t.equal(mismatches, 0, 'every pixel of every image');
  const zeros = Array.from(got).filter((v) => v === 0).length;
  t.ok(zeros > 0, `the borders uncovered by the shifts are zero (${zeros} pixels)`);
});

t.test('a one-pixel image row: a known shift moves a single lit pixel', async (t) => {
  const [H, W] = [4, 4];
  const shifts = translationShifts(7, 0, 1, 1);
  const img = new Float32Array(H * W);
  img[1 * W + 1] = 1; // pixel (1, 1)
  const x = be.tensor([1, H * W], img);
  const out = be.tensor([1, H * W]);
  be.randomTranslate(x, out, { seed: 7, offset: 0, height: H, width: W, maxShift: 1 });
  const lit = Array.from(be.download(out)).findIndex((v) => v === 1);
  t.equal(lit, (1 + shifts[1]!) * W + (1 + shifts[0]!), `the pixel moved by (dx, dy) = (${shifts[0]}, ${shifts[1]})`);
});

t.test('shifts cover [-N, N] about evenly, and maxShift 0 is the identity', async (t) => {
  const s = translationShifts(11, 2 ** 33, 5000, 2);
  const counts = new Map<number, number>();
  for (const v of s) counts.set(v, (counts.get(v) ?? 0) + 1);
  t.same([...counts.keys()].sort((a, b) => a - b), [-2, -1, 0, 1, 2], 'every shift in [-2, 2] occurs, nothing else');
  for (const [v, n] of counts) t.ok(Math.abs(n / s.length - 0.2) < 0.02, `shift ${v}: ${(n / s.length).toFixed(3)} of draws`);
  const x = be.tensor([3, 16], Float32Array.from({ length: 48 }, (_, i) => i));
  const out = be.tensor([3, 16]);
  be.randomTranslate(x, out, { seed: 1, offset: 0, height: 4, width: 4, maxShift: 0 });
  t.same(be.download(out), be.download(x), 'identity');
});
