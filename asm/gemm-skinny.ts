// Skinny GEMMs: C: (M, N) = act(op(A) op(B) + bias [+ C_old]) when one dimension is tiny. The AAE has many: the
// z = 2 and 10-wide heads and the layers they feed (K = 2, 10, 12), the discriminators' 1000 -> 1 output (N = 1,
// and M = 1 for its weight gradient), the heads' weight gradients (N = 2..16 with op(A) = A^T). The packed 4 x 8
// path (gemm.ts) wastes most of its work there: a K = 1 product is all packing and tile bookkeeping, an N = 1
// product computes 8 columns to keep one. Two unpacked kernels cover them:
//   dot:  C[i, j] = op(A) row i . op(B) column j, for N <= 16 and op(A) = A: both operands contiguous in k (op(B) = B
//         is first transposed into this thread's scratch, N x K floats). Threads split the rows of C.
//   axpy: D (P x Q) = X (P x K) Y (K x Q), Y's rows contiguous, in 4 x 8 register tiles with X broadcast. Used as
//         D = C for K <= 16 or M <= 4 with op(B) = B, and as D = C^T = op(B)^T A for N <= 4 with op(A) = A^T (A's
//         rows are then the contiguous Y rows). Threads split Q in blocks of 8. With P <= 4 (axpyRows) Y is streamed
//         row by row into a P x Q sum in scratch instead, so a Y that is not in cache is read sequentially.
// Measured against the packed path on one thread (bench/results/*-iteration-overhead.md): small K with op(B) = B^T
// and N = 5..16 with op(A) = A^T stay packed, where the 4 x 4 transposes of packB beat a scalar transpose here.
// Sums are in f32 in an order different from the packed path's; both are within the parity tolerance of the f64
// reference. The epilogue order is the packed path's: v = sum [+ C_old] [+ bias], then the activation.
import { activate, sigmoid4 } from './activation';

const SMALL_K: i32 = 16;
const SMALL_M: i32 = 4;
const DOT_N: i32 = 16;
const AXPY_T_N: i32 = 4;

// @ts-ignore: decorator
@inline function f32At(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** First of `units` units that thread t of nth starts at (even split). */
// @ts-ignore: decorator
@inline function share(units: i32, t: i32, nth: i32): i32 {
  return <i32>((<i64>units * <i64>t) / <i64>nth);
}

/**
 * Runs C = act(op(A) op(B) + bias [+ C]) on a skinny path and returns true, or returns false (nothing done) when
 * the shape is not skinny (or, for the dot path, B's transpose does not fit the scratch). K > 0.
 * scratch: scratchBytes free bytes of this thread; tile: 32 floats of this thread.
 */
export function gemmSkinny(
  a: usize, b: usize, c: usize, bias: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32, accumulate: i32,
  act: i32, scratch: usize, scratchBytes: i32, tile: usize, tid: i32, nth: i32,
): bool {
  const scratchFloats = scratchBytes >> 2;
  if (N <= DOT_N && transA == 0 && (transB != 0 || N * K <= scratchFloats)) {
    const m0 = share(M, tid, nth);
    const m1 = share(M, tid + 1, nth);
    if (m0 >= m1) return true;
    let bt = b;
    if (transB == 0) {
      transposeInto(b, K, N, scratch); // B: (K, N) -> scratch: (N, K)
      bt = scratch;
    }
    dotRows(a, bt, c, bias, N, K, accumulate, act, m0, m1);
    return true;
  }
  if (N <= AXPY_T_N && transA != 0) {
    // C^T: (N, M) = op(B)^T (N, K) . A (K, M): X[p, k] = op(B)[k, p], Y = A, D[p, q] = C[q, p], bias along p.
    const blocks = (M + 7) >> 3;
    const q0 = min(M, share(blocks, tid, nth) << 3);
    const q1 = min(M, share(blocks, tid + 1, nth) << 3);
    if (q0 >= q1) return true;
    const xp = transB != 0 ? K : 1;
    const xk = transB != 0 ? 1 : N;
    axpy(N, q1 - q0, K, b, xp, xk, a + (<usize>q0 << 2), M, c + (<usize>(q0 * N) << 2), 1, N, accumulate, bias, true, act, scratch, scratchFloats, tile);
    return true;
  }
  if ((K <= SMALL_K || M <= SMALL_M) && transB == 0) {
    const blocks = (N + 7) >> 3;
    const q0 = min(N, share(blocks, tid, nth) << 3);
    const q1 = min(N, share(blocks, tid + 1, nth) << 3);
    if (q0 >= q1) return true;
    const xp = transA != 0 ? 1 : K;
    const xk = transA != 0 ? M : 1;
    const cb = bias != 0 ? bias + (<usize>q0 << 2) : 0;
    axpy(M, q1 - q0, K, a, xp, xk, b + (<usize>q0 << 2), N, c + (<usize>q0 << 2), N, 1, accumulate, cb, false, act, scratch, scratchFloats, tile);
    return true;
  }
  return false;
}

/** dst: (cols, rows) = the transpose of src: (rows, cols), written row by row (contiguous stores). */
function transposeInto(src: usize, rows: i32, cols: i32, dst: usize): void {
  let d = dst;
  for (let j = 0; j < cols; j++) {
    let s = src + (<usize>j << 2);
    const stride = <usize>cols << 2;
    for (let i = 0; i < rows; i++) {
      store<f32>(d, load<f32>(s));
      s += stride;
      d += 4;
    }
  }
}

/** Rows [m0, m1) of C: (M, N) = act(A Bt^T [+ C] [+ bias]); A: (M, K), Bt: (N, K), both row-major. */
function dotRows(a: usize, bt: usize, c: usize, bias: usize, N: i32, K: i32, accumulate: i32, act: i32, m0: i32, m1: i32): void {
  const k16 = K & ~15;
  const k4 = K & ~3;
  for (let i = m0; i < m1; i++) {
    const ar = a + (<usize>(i * K) << 2);
    for (let j = 0; j < N; j++) {
      const br = bt + (<usize>(j * K) << 2);
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let k = 0;
      for (; k < k16; k += 16) {
        const o = <usize>k << 2;
        s0 = madd(v128.load(ar + o), v128.load(br + o), s0);
        s1 = madd(v128.load(ar + o, 16), v128.load(br + o, 16), s1);
        s2 = madd(v128.load(ar + o, 32), v128.load(br + o, 32), s2);
        s3 = madd(v128.load(ar + o, 48), v128.load(br + o, 48), s3);
      }
      for (; k < k4; k += 4) s0 = madd(v128.load(ar + (<usize>k << 2)), v128.load(br + (<usize>k << 2)), s0);
      const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
      let v = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
      for (; k < K; k++) v += f32At(ar, k) * f32At(br, k);
      const p = c + (<usize>(i * N + j) << 2);
      if (accumulate) v += load<f32>(p);
      if (bias != 0) v += f32At(bias, j);
      store<f32>(p, activate(v, act));
    }
  }
}

/**
 * D: (P, Q) = act(X Y [+ D] [+ bias]) (layouts as in axpyTiles): with P <= 4 rows, Y is streamed once row by row
 * into a P x Q sum in scratch (going down Y's columns 8 at a time, as the tiles do, misses the cache on every row
 * of Y when Y is not in cache), otherwise in 4 x 8 register tiles.
 */
function axpy(
  P: i32, Q: i32, K: i32, x: usize, xp: i32, xk: i32, y: usize, yk: i32, d: usize, dp: i32, dq: i32,
  accumulate: i32, bias: usize, biasOnRows: bool, act: i32, scratch: usize, scratchFloats: i32, tile: usize,
): void {
  if (P <= 4 && P * Q <= scratchFloats) axpyRows(P, Q, K, x, xp, xk, y, yk, d, dp, dq, accumulate, bias, biasOnRows, act, scratch);
  else axpyTiles(P, Q, K, x, xp, xk, y, yk, d, dp, dq, accumulate, bias, biasOnRows, act, tile);
}

/** axpy for P <= 4: sum: (P, Q) in scratch, += X[p, k] * Y row k for k in order; then the epilogue into D. */
function axpyRows(
  P: i32, Q: i32, K: i32, x: usize, xp: i32, xk: i32, y: usize, yk: i32, d: usize, dp: i32, dq: i32,
  accumulate: i32, bias: usize, biasOnRows: bool, act: i32, sum: usize,
): void {
  const q16 = Q & ~15;
  const q4 = Q & ~3;
  const rowBytes = <usize>Q << 2;
  memory.fill(sum, 0, <usize>P * rowBytes);
  for (let k = 0; k < K; k++) {
    const yr = y + (<usize>(k * yk) << 2);
    for (let p = 0; p < P; p++) {
      const xv = f32At(x, p * xp + k * xk);
      const a = f32x4.splat(xv);
      const sr = sum + <usize>p * rowBytes;
      let q = 0;
      for (; q < q16; q += 16) {
        const o = <usize>q << 2;
        v128.store(sr + o, madd(a, v128.load(yr + o), v128.load(sr + o)));
        v128.store(sr + o, madd(a, v128.load(yr + o, 16), v128.load(sr + o, 16)), 16);
        v128.store(sr + o, madd(a, v128.load(yr + o, 32), v128.load(sr + o, 32)), 32);
        v128.store(sr + o, madd(a, v128.load(yr + o, 48), v128.load(sr + o, 48)), 48);
      }
      for (; q < q4; q += 4) {
        const o = <usize>q << 2;
        v128.store(sr + o, madd(a, v128.load(yr + o), v128.load(sr + o)));
      }
      for (; q < Q; q++) {
        const o = <usize>q << 2;
        store<f32>(sr + o, load<f32>(sr + o) + xv * load<f32>(yr + o));
      }
    }
  }
  const zero = f32x4.splat(0);
  for (let p = 0; p < P; p++) {
    const sr = sum + <usize>p * rowBytes;
    let q = 0;
    if (dq == 1) {
      const dr = d + (<usize>(p * dp) << 2);
      for (; q < q4; q += 4) {
        const o = <usize>q << 2;
        let v = v128.load(sr + o);
        if (accumulate) v = f32x4.add(v, v128.load(dr + o));
        if (bias != 0) v = f32x4.add(v, biasOnRows ? v128.load32_splat(bias + (<usize>p << 2)) : v128.load(bias + o));
        if (act == 1) v = f32x4.max(v, zero);
        else if (act == 2) v = sigmoid4(v);
        v128.store(dr + o, v);
      }
    }
    for (; q < Q; q++) {
      const dst = d + (<usize>(p * dp + q * dq) << 2);
      let v = f32At(sr, q);
      if (accumulate) v += load<f32>(dst);
      if (bias != 0) v += f32At(bias, biasOnRows ? p : q);
      store<f32>(dst, activate(v, act));
    }
  }
}

/**
 * D: (P, Q) = act(X Y [+ D] [+ bias]) with X[p, k] at x + 4 (p xp + k xk), Y[k, q] at y + 4 (k yk + q) and
 * D[p, q] at d + 4 (p dp + q dq); bias[p] when biasOnRows, else bias[q]. 4 x 8 tiles; rows past P repeat row P-1
 * (computed, not stored); the last Q % 8 columns are summed one by one.
 */
function axpyTiles(
  P: i32, Q: i32, K: i32, x: usize, xp: i32, xk: i32, y: usize, yk: i32, d: usize, dp: i32, dq: i32,
  accumulate: i32, bias: usize, biasOnRows: bool, act: i32, tile: usize,
): void {
  const q8 = Q & ~7;
  const xkBytes = <usize>xk << 2;
  const ykBytes = <usize>yk << 2;
  for (let p = 0; p < P; p += 4) {
    const rows = min(4, P - p);
    const x0 = x + (<usize>(p * xp) << 2);
    const x1 = x + (<usize>(min(p + 1, P - 1) * xp) << 2);
    const x2 = x + (<usize>(min(p + 2, P - 1) * xp) << 2);
    const x3 = x + (<usize>(min(p + 3, P - 1) * xp) << 2);
    for (let q = 0; q < q8; q += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let py = y + (<usize>q << 2);
      let o: usize = 0;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(py);
        const b1 = v128.load(py, 16);
        const a0 = v128.load32_splat(x0 + o);
        const a1 = v128.load32_splat(x1 + o);
        const a2 = v128.load32_splat(x2 + o);
        const a3 = v128.load32_splat(x3 + o);
        c00 = madd(a0, b0, c00);
        c01 = madd(a0, b1, c01);
        c10 = madd(a1, b0, c10);
        c11 = madd(a1, b1, c11);
        c20 = madd(a2, b0, c20);
        c21 = madd(a2, b1, c21);
        c30 = madd(a3, b0, c30);
        c31 = madd(a3, b1, c31);
        py += ykBytes;
        o += xkBytes;
      }
      if (dq == 1) {
        // D's rows are contiguous: the epilogue runs on the accumulators.
        const dst = d + (<usize>(p * dp + q) << 2);
        const rowBytes = <usize>dp << 2;
        finish8(c00, c01, dst, accumulate, bias, biasOnRows, p, q, act);
        if (rows > 1) finish8(c10, c11, dst + rowBytes, accumulate, bias, biasOnRows, p + 1, q, act);
        if (rows > 2) finish8(c20, c21, dst + 2 * rowBytes, accumulate, bias, biasOnRows, p + 2, q, act);
        if (rows > 3) finish8(c30, c31, dst + 3 * rowBytes, accumulate, bias, biasOnRows, p + 3, q, act);
        continue;
      }
      v128.store(tile, c00, 0); v128.store(tile, c01, 16);
      v128.store(tile, c10, 32); v128.store(tile, c11, 48);
      v128.store(tile, c20, 64); v128.store(tile, c21, 80);
      v128.store(tile, c30, 96); v128.store(tile, c31, 112);
      storeStrided(tile, d, dp, dq, p, q, rows, accumulate, bias, biasOnRows, act);
    }
    for (let q = q8; q < Q; q++) {
      for (let r = 0; r < rows; r++) {
        const xr = x + (<usize>((p + r) * xp) << 2);
        let v: f32 = 0;
        for (let k = 0; k < K; k++) v += f32At(xr, k * xk) * f32At(y, k * yk + q);
        const dst = d + (<usize>((p + r) * dp + q * dq) << 2);
        if (accumulate) v += load<f32>(dst);
        if (bias != 0) v += f32At(bias, biasOnRows ? p + r : q);
        store<f32>(dst, activate(v, act));
      }
    }
  }
}

/** Stores 8 sums (v0, v1) of D row p, columns q..q+7, at dst with the epilogue (see axpyTiles). */
// @ts-ignore: decorator
@inline function finish8(v0: v128, v1: v128, dst: usize, accumulate: i32, bias: usize, biasOnRows: bool, p: i32, q: i32, act: i32): void {
  if (accumulate) {
    v0 = f32x4.add(v0, v128.load(dst));
    v1 = f32x4.add(v1, v128.load(dst, 16));
  }
  if (bias != 0) {
    if (biasOnRows) {
      const br = v128.load32_splat(bias + (<usize>p << 2));
      v0 = f32x4.add(v0, br);
      v1 = f32x4.add(v1, br);
    } else {
      v0 = f32x4.add(v0, v128.load(bias + (<usize>q << 2)));
      v1 = f32x4.add(v1, v128.load(bias + (<usize>q << 2), 16));
    }
  }
  if (act == 1) {
    const zero = f32x4.splat(0);
    v0 = f32x4.max(v0, zero);
    v1 = f32x4.max(v1, zero);
  } else if (act == 2) {
    v0 = sigmoid4(v0);
    v1 = sigmoid4(v1);
  }
  v128.store(dst, v0);
  v128.store(dst, v1, 16);
}

/** Writes the valid rows of tile (4 x 8) to D at (p, q) with D's columns strided (dq != 1), with the epilogue. */
function storeStrided(tile: usize, d: usize, dp: i32, dq: i32, p: i32, q: i32, rows: i32, accumulate: i32, bias: usize, biasOnRows: bool, act: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 8; j++) {
      const dst = d + (<usize>((p + r) * dp + (q + j) * dq) << 2);
      let v = f32At(tile, r * 8 + j);
      if (accumulate) v += load<f32>(dst);
      if (bias != 0) v += f32At(bias, biasOnRows ? p + r : q + j);
      store<f32>(dst, activate(v, act));
    }
  }
}
