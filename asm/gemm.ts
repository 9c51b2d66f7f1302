// SGEMM with fused epilogue:  C: (M, N) = act(op(A) op(B) + bias [+ C_old])
//
// Shapes with a tiny dimension (K <= 16, M <= 4, N <= 4, or N <= 16 with op(A) = A^T) go to the unpacked kernels
// of gemm-skinny.ts; everything else takes the packed path below.
// Blocking (GotoBLAS / BLIS): for each column panel of NC columns and each depth block of KC, op(B) is packed into
// NR-wide slivers ((KC x NR) contiguous, zero-padded past N) and op(A) into MR-tall slivers ((MR x KC) contiguous,
// zero-padded past M), so the micro-kernel never sees an edge and every transpose is handled by packing alone.
// The micro-kernel computes an MR x NR tile over a depth block with broadcast-A x vector-B multiply-adds into
// registers, and writes the tile to a per-thread scratch tile; `storeTile` then adds it into C and, on the last depth
// block, applies bias and activation (fused epilogue) for the valid part of the tile.
//   Both builds use MR x NR = 4 x 8: 8 accumulators + 2 B + 4 broadcast A = 14 of V8's 15 xmm registers, with
//   f32x4.relaxed_madd in the relaxed build and f32x4.mul + f32x4.add in the plain one. A 6 x 8 (or 5 x 8) tile
//   would fit in principle, but TurboFan issues all of an iteration's loads before its multiply-adds, so the larger
//   tile spills accumulators every iteration and runs at ~60% of the 4 x 8 one (see `micro`).
// Loop order: jc (NC) > pc (KC) > ic (MC) > jr (NR) > ir (MR): one B sliver (KC x 8 floats = 8 KiB) stays in L1
// while the A slivers stream from the packed A block in L2; with a single depth block (K <= KC) ir > jr instead, so
// C is written (and, accumulating, read) along its rows.
// Threads: each thread packs into its own scratch, so threads share nothing but the read-only inputs and, in the
// dynamic split (the common case), one counter: every thread packs all of op(A), then claims 64-column blocks of
// C until none are left (gemmClaimed: N >= 256 and op(A) fits a thread's scratch); with a single depth block and
// M >= 192 (the weight gradients) it packs all of op(B) and claims 48-row blocks instead (gemmClaimedRows).
// Otherwise thread tid takes an even share of the NR-column slivers (or, when N is too narrow, of the MR-row
// slivers).

import { activate, sigmoid4 } from './activation';
import { gemmSkinny } from './gemm-skinny';

const NR: i32 = 8;
const MR: i32 = 4;
const KC: i32 = 256;
const MC: i32 = MR * 25; // 100 rows: the AAE's batch is one block
const NC: i32 = 512;

/** Columns of C per block claimed from the shared counter (the dynamic split, see gemmClaimed). */
const CHUNK: i32 = 64;
/** Rows of C per block claimed when the split is by rows (gemmClaimedRows): a multiple of MR. */
const ROW_CHUNK: i32 = MR * 12;

const PACK_B_BYTES: i32 = KC * NC * 4;
/** Packed op(A): one MC x KC block in the static split, all of op(A) (when it fits) in the dynamic one. */
const PACK_A_BYTES: i32 = 512 * 1024;
const TILE_BYTES: i32 = 64 * 4;

/** Scratch bytes each thread needs (packed B panel, packed A, one tile). */
export function gemmWorkBytes(): i32 {
  return PACK_B_BYTES + PACK_A_BYTES + TILE_BYTES;
}

/** Bytes before a multi-threaded call's work area that hold its block counter (a cache line of its own). */
const GEMM_COUNTER_BYTES: i32 = 64;

// @ts-ignore: decorator
@inline function f32At(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

/** Packs op(B)[pc .. pc+kc, jc .. jc+nc] into NR-wide slivers at dst: sliver s holds kc rows of NR floats. */
function packB(b: usize, N: i32, K: i32, transB: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  const zero = f32x4.splat(0);
  const full = transB == 0 ? nc & ~(NR - 1) : 0;
  if (full > 0) {
    // op(B) = B: (K, N) row-major: each sliver row is 8 contiguous floats. Row by row, so B is read sequentially
    // (prefetched); sliver by sliver would read 32 bytes per row of B, a cache miss each when B is not in cache.
    const sliverBytes = <usize>(kc * NR) << 2;
    for (let k = 0; k < kc; k++) {
      let src = b + (<usize>((pc + k) * N + jc) << 2);
      let o = dst + (<usize>(k * NR) << 2);
      for (let s = 0; s < full; s += NR) {
        v128.store(o, v128.load(src));
        v128.store(o, v128.load(src, 16), 16);
        src += 32;
        o += sliverBytes;
      }
    }
  }
  for (let s = full; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    const out = dst + (<usize>(s * kc) << 2);
    if (transB != 0 && cols == NR) {
      // op(B) = B^T, B: (N, K): column j of op(B) is row j of B, contiguous in k. 4 x 4 transposes.
      const row = b + (<usize>((jc + s) * K + pc) << 2);
      const rs = <usize>K << 2;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const p = row + (<usize>k << 2);
        for (let half = 0; half < 2; half++) {
          const q = p + rs * <usize>(half * 4);
          const r0 = v128.load(q);
          const r1 = v128.load(q + rs);
          const r2 = v128.load(q + 2 * rs);
          const r3 = v128.load(q + 3 * rs);
          // transpose r0..r3 (rows j, columns k) into columns
          const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
          const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
          const o = out + (<usize>(k * NR + half * 4) << 2);
          v128.store(o, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(o + (NR << 2), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
          v128.store(o + (2 * NR << 2), v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
          v128.store(o + (3 * NR << 2), v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
        }
      }
      for (; k < kc; k++) {
        for (let j = 0; j < NR; j++) store<f32>(out + (<usize>(k * NR + j) << 2), f32At(row, j * K + k));
      }
    } else {
      // Edge sliver: fewer than NR columns left; zero-pad.
      for (let k = 0; k < kc; k++) {
        const o = out + (<usize>(k * NR) << 2);
        v128.store(o, zero);
        v128.store(o, zero, 16);
        for (let j = 0; j < cols; j++) {
          const col = jc + s + j;
          const kk = pc + k;
          store<f32>(o + (<usize>j << 2), transB != 0 ? f32At(b, col * K + kk) : f32At(b, kk * N + col));
        }
      }
    }
  }
}

/** Packs op(A)[ic .. ic+mc, pc .. pc+kc] into MR-tall slivers at dst: sliver s holds kc columns of MR floats. */
function packA(a: usize, M: i32, K: i32, transA: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let s = 0; s < mc; s += MR) {
    const rows = min(MR, mc - s);
    const out = dst + (<usize>(s * kc) << 2);
    if (transA != 0) {
      // op(A) = A^T, A: (K, M): for each k, the sliver's rows are contiguous.
      for (let k = 0; k < kc; k++) {
        const src = a + (<usize>((pc + k) * M + ic + s) << 2);
        const o = out + (<usize>(k * MR) << 2);
        for (let i = 0; i < rows; i++) store<f32>(o + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
        for (let i = rows; i < MR; i++) store<f32>(o + (<usize>i << 2), 0);
      }
    } else {
      // op(A) = A: (M, K): row i is contiguous in k; scatter with stride MR.
      for (let i = 0; i < MR; i++) {
        if (i < rows) {
          const src = a + (<usize>((ic + s + i) * K + pc) << 2);
          for (let k = 0; k < kc; k++) store<f32>(out + (<usize>(k * MR + i) << 2), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(out + (<usize>(k * MR + i) << 2), 0);
        }
      }
    }
  }
}

/**
 * tile: (4, 8) = A sliver (kc x 4) . B sliver (kc x 8). 8 accumulators + 2 B + 4 A = 14 registers: TurboFan
 * schedules the FMAs after all of an iteration's loads, so the whole iteration must fit in its 15 xmm registers
 * (a 6 x 8 kernel spills 3 accumulators every iteration and runs at 60% of this one).
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

function micro(kc: i32, pa: usize, pb: usize, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    const a1 = v128.load32_splat(pa, 4);
    const a2 = v128.load32_splat(pa, 8);
    const a3 = v128.load32_splat(pa, 12);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    pa += 16;
    pb += 32;
  }
  v128.store(tile, c00, 0); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
}

/**
 * Adds the (rows x cols) valid part of tile (MR x 8) into C at (i0, j0): C = tile + (addOld ? C : 0), then on the
 * last depth block (epilogue != 0) C = act(C + bias).
 */
function storeTile(tile: usize, c: usize, N: i32, i0: i32, j0: i32, rows: i32, cols: i32, addOld: bool, epilogue: bool, bias: usize, act: i32): void {
  if (cols == NR) {
    let bias0 = f32x4.splat(0), bias1 = f32x4.splat(0);
    if (epilogue && bias != 0) {
      bias0 = v128.load(bias + (<usize>j0 << 2));
      bias1 = v128.load(bias + (<usize>j0 << 2), 16);
    }
    const zero = f32x4.splat(0);
    for (let i = 0; i < rows; i++) {
      const p = c + (<usize>((i0 + i) * N + j0) << 2);
      const t = tile + (<usize>(i * NR) << 2);
      let v0 = v128.load(t);
      let v1 = v128.load(t, 16);
      if (addOld) {
        v0 = f32x4.add(v0, v128.load(p));
        v1 = f32x4.add(v1, v128.load(p, 16));
      }
      if (epilogue) {
        v0 = f32x4.add(v0, bias0);
        v1 = f32x4.add(v1, bias1);
        if (act == 1) {
          v0 = f32x4.max(v0, zero);
          v1 = f32x4.max(v1, zero);
        } else if (act == 2) {
          v0 = sigmoid4(v0);
          v1 = sigmoid4(v1);
        }
      }
      v128.store(p, v0);
      v128.store(p, v1, 16);
    }
    return;
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const p = c + (<usize>((i0 + i) * N + j0 + j) << 2);
      let v = f32At(tile, i * NR + j);
      if (addOld) v += load<f32>(p);
      if (epilogue) {
        if (bias != 0) v += f32At(bias, j0 + j);
        v = activate(v, act);
      }
      store<f32>(p, v);
    }
  }
}

/** C rows [m0, m1) x columns [n0, n1) = act(bias [+ C]) when K == 0. */
function emptyProduct(c: usize, bias: usize, N: i32, accumulate: i32, act: i32, m0: i32, m1: i32, n0: i32, n1: i32): void {
  for (let i = m0; i < m1; i++) {
    for (let j = n0; j < n1; j++) {
      const p = c + (<usize>(i * N + j) << 2);
      let v: f32 = accumulate != 0 ? load<f32>(p) : 0;
      if (bias != 0) v += f32At(bias, j);
      store<f32>(p, activate(v, act));
    }
  }
}

/**
 * C: (M, N) = act(op(A) op(B) + bias [+ C]); op(A): (M, K) from A (M, K) or (K, M) if transA; op(B): (K, N) from
 * B (K, N) or (N, K) if transB; bias: (N) or 0; act: 0 none, 1 relu, 2 sigmoid. work: gemmWorkBytes() per thread.
 * With nth > 1 the GEMM_COUNTER_BYTES before work hold the dynamic split's counter, an i32 the caller sets to 0
 * before each call. Thread tid of nth computes its own blocks of C (see the header).
 */
export function gemm(
  a: usize, b: usize, c: usize, bias: usize, M: i32, N: i32, K: i32,
  transA: i32, transB: i32, accumulate: i32, act: i32, work: usize, tid: i32, nth: i32,
): void {
  if (M <= 0 || N <= 0) return;
  const base = work + <usize>tid * <usize>gemmWorkBytes();
  const packedB = base;
  const packedA = base + <usize>PACK_B_BYTES;
  const tile = packedA + <usize>PACK_A_BYTES;
  if (K > 0 && gemmSkinny(a, b, c, bias, M, N, K, transA, transB, accumulate, act, base, PACK_B_BYTES, tile, tid, nth)) return;
  const colSlivers = (N + NR - 1) / NR;
  const mPadded = (M + MR - 1) / MR * MR;
  const nPadded = colSlivers * NR;
  if (K > 0 && nth > 1 && K <= KC && M >= 4 * ROW_CHUNK && <i64>K * <i64>nPadded <= <i64>(PACK_B_BYTES >> 2)) {
    gemmClaimedRows(a, b, c, bias, M, N, K, transA, transB, accumulate, act, packedA, packedB, tile, work - GEMM_COUNTER_BYTES);
    return;
  }
  if (K > 0 && nth > 1 && N >= 4 * CHUNK && <i64>K * <i64>mPadded <= <i64>(PACK_A_BYTES >> 2)) {
    gemmClaimed(a, b, c, bias, M, N, K, transA, transB, accumulate, act, packedA, packedB, tile, work - GEMM_COUNTER_BYTES);
    return;
  }
  // Static split: column slivers when there are enough, row slivers otherwise.
  let m0 = 0, m1 = M, n0 = 0, n1 = N;
  if (colSlivers >= 2 * nth || M < MR * nth) {
    n0 = min(N, (colSlivers * tid / nth) * NR);
    n1 = min(N, (colSlivers * (tid + 1) / nth) * NR);
  } else {
    const rowSlivers = (M + MR - 1) / MR;
    m0 = min(M, (rowSlivers * tid / nth) * MR);
    m1 = min(M, (rowSlivers * (tid + 1) / nth) * MR);
  }
  if (m0 >= m1 || n0 >= n1) return;
  if (K <= 0) {
    emptyProduct(c, bias, N, accumulate, act, m0, m1, n0, n1);
    return;
  }
  for (let jc = n0; jc < n1; jc += NC) {
    const nc = min(NC, n1 - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packB(b, N, K, transB, pc, kc, jc, nc, packedB);
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = min(MC, m1 - ic);
        packA(a, M, K, transA, ic, mc, pc, kc, packedA);
        blockTiles(packedA, packedB, tile, c, N, K, ic, mc, jc, nc, pc, kc, accumulate, bias, act);
      }
    }
  }
}

/** Takes the next block number from the shared counter. */
// @ts-ignore: decorator
@inline function claim(counter: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(counter, 1);
  // Builds without threads (the browser's, non-shared memory) run on one thread: nobody else takes blocks.
  const next = load<i32>(counter);
  store<i32>(counter, next + 1);
  return next;
}

/**
 * The dynamic split: each thread packs all of op(A) once (block (pc, ic) at float pc * mPadded + ic * kc), then
 * claims CHUNK-column blocks of C from the shared counter until none are left, so a thread that runs slower (another
 * process on its core, a worker woken late, a colder cache) takes fewer blocks instead of making the others wait.
 * Each element of C is still computed by one thread in the same order: results do not depend on who took what.
 */
function gemmClaimed(
  a: usize, b: usize, c: usize, bias: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32, accumulate: i32,
  act: i32, packedA: usize, packedB: usize, tile: usize, counter: usize,
): void {
  const mPadded = (M + MR - 1) / MR * MR;
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    for (let ic = 0; ic < M; ic += MC) {
      packA(a, M, K, transA, ic, min(MC, M - ic), pc, kc, packedA + (<usize>(pc * mPadded + ic * kc) << 2));
    }
  }
  const chunks = (N + CHUNK - 1) / CHUNK;
  for (let chunk = claim(counter); chunk < chunks; chunk = claim(counter)) {
    const jc = chunk * CHUNK;
    const nc = min(CHUNK, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packB(b, N, K, transB, pc, kc, jc, nc, packedB);
      for (let ic = 0; ic < M; ic += MC) {
        const pa = packedA + (<usize>(pc * mPadded + ic * kc) << 2);
        blockTiles(pa, packedB, tile, c, N, K, ic, min(MC, M - ic), jc, nc, pc, kc, accumulate, bias, act);
      }
    }
  }
}

/**
 * The dynamic split by rows, for a single depth block with many rows (the weight gradients: K = batch, M = a
 * layer's outputs): each thread packs all of op(B) (kc x N) once, then claims ROW_CHUNK-row blocks of C, which it
 * writes along whole rows (column blocks would cut C's rows into 256-byte pieces the prefetcher does not follow).
 */
function gemmClaimedRows(
  a: usize, b: usize, c: usize, bias: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32, accumulate: i32,
  act: i32, packedA: usize, packedB: usize, tile: usize, counter: usize,
): void {
  packB(b, N, K, transB, 0, K, 0, N, packedB);
  const chunks = (M + ROW_CHUNK - 1) / ROW_CHUNK;
  for (let chunk = claim(counter); chunk < chunks; chunk = claim(counter)) {
    const ic = chunk * ROW_CHUNK;
    const mc = min(ROW_CHUNK, M - ic);
    packA(a, M, K, transA, ic, mc, 0, K, packedA);
    blockTiles(packedA, packedB, tile, c, N, K, ic, mc, 0, N, 0, K, accumulate, bias, act);
  }
}

/**
 * The tiles of C rows [ic, ic + mc) x columns [jc, jc + nc) for depth block [pc, pc + kc): packedA holds that block
 * of op(A) (MR-row slivers), packedB that of op(B) (NR-column slivers).
 */
function blockTiles(
  packedA: usize, packedB: usize, tile: usize, c: usize, N: i32, K: i32, ic: i32, mc: i32, jc: i32, nc: i32, pc: i32,
  kc: i32, accumulate: i32, bias: usize, act: i32,
): void {
  const addOld = pc > 0 || accumulate != 0;
  const epilogue = pc + kc >= K;
  if (K <= KC) {
    // One depth block (the weight gradients, K = batch): C is touched once, so walk it along its rows, where the
    // hardware prefetcher follows; going down a column of tiles misses on every row of C (+40% time when
    // accumulating into a C that is not in cache). The B panel (kc x nc) is in L2 either way.
    for (let ir = 0; ir < mc; ir += MR) {
      const pa = packedA + (<usize>(ir * kc) << 2);
      for (let jr = 0; jr < nc; jr += NR) {
        micro(kc, pa, packedB + (<usize>(jr * kc) << 2), tile);
        storeTile(tile, c, N, ic + ir, jc + jr, min(MR, mc - ir), min(NR, nc - jr), addOld, epilogue, bias, act);
      }
    }
    return;
  }
  for (let jr = 0; jr < nc; jr += NR) {
    const pb = packedB + (<usize>(jr * kc) << 2);
    const cols = min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      micro(kc, packedA + (<usize>(ir * kc) << 2), pb, tile);
      storeTile(tile, c, N, ic + ir, jc + jr, min(MR, mc - ir), cols, addOld, epilogue, bias, act);
    }
  }
}
