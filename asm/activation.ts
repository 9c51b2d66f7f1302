// The activations fused into GEMM epilogues (act 0 none, 1 relu, 2 sigmoid), shared by the packed and the skinny
// GEMM paths: full 8-column tiles use the 4-lane sigmoid, edge columns the scalar one. Which columns are edges
// depends on N only, never on the thread split, so results do not change with the thread count.

/** act(x) for one element; sigmoid in f64 (1 / (1 + exp(-x)), rounded to f32 once). */
// @ts-ignore: decorator
@inline export function activate(x: f32, act: i32): f32 {
  if (act == 1) return x > 0 ? x : 0;
  if (act == 2) return <f32>(1.0 / (1.0 + Math.exp(-<f64>x)));
  return x;
}

/**
 * sigmoid(x) = 1 / (1 + exp(-x)) on four lanes in f32: exp by range reduction to r = y - n ln2 (|r| <= ln2 / 2,
 * ln2 split in two parts), a degree-6 polynomial (Cephes expf, ~1 ulp) and 2^n from the exponent bits, with y
 * clamped to [-87, 88] so 2^n stays a normal float. Within ~2 ulp of the f64 formula; mul and add only (no fused
 * multiply-add), so both builds give the same results.
 */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const y = f32x4.min(f32x4.max(f32x4.neg(x), f32x4.splat(-87)), f32x4.splat(88));
  const n = f32x4.nearest(f32x4.mul(y, f32x4.splat(1.44269504089)));
  const r = f32x4.sub(f32x4.sub(y, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const e = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), f32x4.mul(e, pow2n)));
}
