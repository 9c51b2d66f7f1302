// The activations fused into GEMM epilogues (act 0 none, 1 relu, 2 sigmoid), shared by the packed and the skinny
// GEMM paths so both round the same way.

/** act(x) for one element; sigmoid in f64 (1 / (1 + exp(-x)), rounded to f32 once). */
// @ts-ignore: decorator
@inline export function activate(x: f32, act: i32): f32 {
  if (act == 1) return x > 0 ? x : 0;
  if (act == 2) return <f32>(1.0 / (1.0 + Math.exp(-<f64>x)));
  return x;
}
