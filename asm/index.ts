// The WebAssembly kernels, one family per file. Compiled twice (relaxed SIMD and plain SIMD) by
// scripts/build-wasm.mjs; loaded and driven by ts/backend/wasm/.
//
// Conventions for every export:
// - Pointers (usize) are byte addresses in the shared linear memory; tensors are contiguous row-major f32.
// - Kernels never allocate: all memory (tensors, per-thread scratch, argument tables) is managed by the TS side.
// - Parallel kernels take (tid, nth) last: thread tid of nth computes its own disjoint slice, so the TS worker pool
//   can call the same export on every thread with the same arguments. Called with (0, 1) they do all the work.
// - Random kernels take seed and offset as f64 holding non-negative integers < 2^53 (see ts/rng.ts for the layout).
export * from './gemm';
export * from './elementwise';
export * from './loss';
export * from './adam';
export * from './philox';
