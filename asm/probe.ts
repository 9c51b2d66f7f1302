// Machine probes for the benchmark's roofline (bench/roofline.ts), compiled on their own (scripts/build-wasm.mjs,
// probe.{relaxed,simd}.wasm), not part of the training kernels:
// - fmaPeak: the engine's f32x4 multiply-add throughput with no memory traffic (12 independent chains, more than
//   the 2 FMA ports x 4-cycle latency keep in flight), the ceiling of any 128-bit-SIMD GEMM on this core;
// - adamStream: Adam's memory traffic without its arithmetic (reads param, grad, m, v; writes param, m, v: 28 bytes
//   per element), the ceiling of any Adam over buffers that do not fit in cache.

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** iters x 12 multiply-adds of 4 lanes (96 FLOPs per iteration); returns a lane of the sum so nothing is dead. */
export function fmaPeak(iters: i32): f32 {
  let a0 = f32x4.splat(1), a1 = f32x4.splat(1), a2 = f32x4.splat(1), a3 = f32x4.splat(1);
  let a4 = f32x4.splat(1), a5 = f32x4.splat(1), a6 = f32x4.splat(1), a7 = f32x4.splat(1);
  let a8 = f32x4.splat(1), a9 = f32x4.splat(1), a10 = f32x4.splat(1), a11 = f32x4.splat(1);
  const x = f32x4.splat(0.999999);
  const y = f32x4.splat(1e-7);
  for (let i = 0; i < iters; i++) {
    a0 = madd(a0, x, y); a1 = madd(a1, x, y); a2 = madd(a2, x, y); a3 = madd(a3, x, y);
    a4 = madd(a4, x, y); a5 = madd(a5, x, y); a6 = madd(a6, x, y); a7 = madd(a7, x, y);
    a8 = madd(a8, x, y); a9 = madd(a9, x, y); a10 = madd(a10, x, y); a11 = madd(a11, x, y);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))), 0);
}

/** p, g, m, v: n floats each (n a multiple of 4): p += g, m += g, v += g, four lanes at a time. */
export function adamStream(p: usize, g: usize, m: usize, v: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    v128.store(p + o, f32x4.add(v128.load(p + o), gi));
    v128.store(m + o, f32x4.add(v128.load(m + o), gi));
    v128.store(v + o, f32x4.add(v128.load(v + o), gi));
  }
}
