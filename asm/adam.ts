// Fused Adam step (PyTorch torch.optim.Adam semantics, non-amsgrad, non-maximize) over a table of tensors.
// The step scalars are computed once in f64 and rounded to f32; the per-element arithmetic is f32 (SIMD, with the
// same operations in the scalar tail), so a parameter's update does not depend on how the work is split.
//
// Moments below the smallest normal float (FLT_MIN, 1.18e-38) are flushed to zero. A parameter whose gradient
// stays 0 (a first-layer weight of an always-blank pixel, a dead ReLU unit) has m decay by beta1 each step into
// denormals after ~800 steps, and x86 processes denormal operands with microcode assists: without the flush a
// training iteration becomes 30-40 % slower from then on. The change to any update is below 1e-38.

const FLT_MIN: f32 = 1.17549435e-38;

// @ts-ignore: decorator
@inline function flushDenormals(x: v128, tiny: v128): v128 {
  return v128.and(x, f32x4.ge(f32x4.abs(x), tiny));
}

/**
 * table: `count` entries of five u32 each: (param ptr, grad ptr, m ptr, v ptr, n elements).
 * Per element, in f32:
 *   g = grad + wd * param            (only when weightDecay != 0, as PyTorch)
 *   m = b1 * m + (1 - b1) * g
 *   v = b2 * v + (1 - b2) * g * g    ((1 - b2) * g) * g
 *   m, v = 0 where |m|, v < FLT_MIN    (denormals flushed, see the header)
 *   denom = sqrt(v) / sqrt(bc2) + eps
 *   param = param - stepSize * (m / denom)
 * with bc1 = 1 - b1^step, bc2 = 1 - b2^step, stepSize = lr / bc1 (f64, then f32).
 * Thread tid takes its 4-aligned slice of every tensor. grad is read only.
 */
export function adam(
  table: usize, count: i32, lr: f64, beta1: f64, beta2: f64, eps: f64, weightDecay: f64, step: f64, tid: i32, nth: i32,
): void {
  const bc1 = 1 - Math.pow(beta1, step);
  const bc2 = 1 - Math.pow(beta2, step);
  const stepSize = <f32>(lr / bc1);
  const bc2Sqrt = <f32>Math.sqrt(bc2);
  const b1 = <f32>beta1;
  const omb1 = <f32>(1 - beta1);
  const b2 = <f32>beta2;
  const omb2 = <f32>(1 - beta2);
  const epsf = <f32>eps;
  const wd = <f32>weightDecay;
  const hasWd = weightDecay != 0;

  const vb1 = f32x4.splat(b1);
  const vomb1 = f32x4.splat(omb1);
  const vb2 = f32x4.splat(b2);
  const vomb2 = f32x4.splat(omb2);
  const vbc2 = f32x4.splat(bc2Sqrt);
  const veps = f32x4.splat(epsf);
  const vtiny = f32x4.splat(FLT_MIN);
  const vstep = f32x4.splat(stepSize);
  const vwd = f32x4.splat(wd);

  for (let e = 0; e < count; e++) {
    const row = table + <usize>e * 20;
    const P = <usize>load<u32>(row);
    const G = <usize>load<u32>(row, 4);
    const M = <usize>load<u32>(row, 8);
    const V = <usize>load<u32>(row, 12);
    const n = <i32>load<u32>(row, 16);
    // 4-aligned slice of this tensor.
    const blocks = (<i64>n + 3) >> 2;
    const per = blocks / <i64>nth;
    const rem = blocks % <i64>nth;
    const t0 = <i64>tid;
    let lo = (t0 * per + (t0 < rem ? t0 : rem)) << 2;
    let hi = ((t0 + 1) * per + (t0 + 1 < rem ? t0 + 1 : rem)) << 2;
    if (lo > <i64>n) lo = <i64>n;
    if (hi > <i64>n) hi = <i64>n;
    const ilo = <i32>lo;
    const ihi = <i32>hi;
    const vEnd = ilo + ((ihi - ilo) & ~3);
    for (let i = ilo; i < vEnd; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(P + o);
      let g = v128.load(G + o);
      if (hasWd) g = f32x4.add(g, f32x4.mul(vwd, p));
      const m = flushDenormals(f32x4.add(f32x4.mul(vb1, v128.load(M + o)), f32x4.mul(vomb1, g)), vtiny);
      const v = flushDenormals(f32x4.add(f32x4.mul(vb2, v128.load(V + o)), f32x4.mul(f32x4.mul(vomb2, g), g)), vtiny);
      v128.store(M + o, m);
      v128.store(V + o, v);
      const denom = f32x4.add(f32x4.div(f32x4.sqrt(v), vbc2), veps);
      v128.store(P + o, f32x4.sub(p, f32x4.mul(vstep, f32x4.div(m, denom))));
    }
    for (let i = vEnd; i < ihi; i++) {
      const o = <usize>i << 2;
      const p = load<f32>(P + o);
      let g = load<f32>(G + o);
      if (hasWd) g = g + wd * p;
      let m = b1 * load<f32>(M + o) + omb1 * g;
      let v = b2 * load<f32>(V + o) + omb2 * g * g;
      if (Mathf.abs(m) < FLT_MIN) m = 0;
      if (v < FLT_MIN) v = 0;
      store<f32>(M + o, m);
      store<f32>(V + o, v);
      const denom = Mathf.sqrt(v) / bc2Sqrt + epsf;
      store<f32>(P + o, p - stepSize * (m / denom));
    }
  }
}
