// Elementwise and row-wise kernels: activation backward, bias gradient, products, axpby, softmax, row gathers,
// column-block copies, fill and sum. Every parallel kernel takes (tid, nth) last and works on a disjoint slice
// computed from (size, tid, nth); per-element results never depend on the slicing (no relaxed ops here, and the
// scalar tails do the same IEEE operations as the SIMD lanes), so results are bit-identical for any nth.
// Pointers are 16-byte aligned tensor starts; sizes are arbitrary (rows of width cols % 4 != 0 are read with
// unaligned v128 loads, which are valid in WebAssembly).

// ---- slicing -------------------------------------------------------------------------------------------------

/** First unit of thread t's share when `units` units are split as evenly as possible over nth threads. */
// @ts-ignore: decorator
@inline
function splitStart(units: i64, t: i32, nth: i32): i64 {
  const n = <i64>nth;
  const per = units / n;
  const rem = units % n;
  const tt = <i64>t;
  return tt * per + (tt < rem ? tt : rem);
}

/** Element range start of thread tid for n elements split into blocks of 4. */
// @ts-ignore: decorator
@inline
function lo4(n: i32, tid: i32, nth: i32): i32 {
  const s = splitStart((<i64>n + 3) >> 2, tid, nth) << 2;
  return <i32>(s < <i64>n ? s : <i64>n);
}

/** Element range end of thread tid for n elements split into blocks of 4. */
// @ts-ignore: decorator
@inline
function hi4(n: i32, tid: i32, nth: i32): i32 {
  const s = splitStart((<i64>n + 3) >> 2, tid + 1, nth) << 2;
  return <i32>(s < <i64>n ? s : <i64>n);
}

/** Row range start of thread tid for rows split as evenly as possible. */
// @ts-ignore: decorator
@inline
function rowLo(rows: i32, tid: i32, nth: i32): i32 {
  return <i32>splitStart(<i64>rows, tid, nth);
}

// ---- activation backward -------------------------------------------------------------------------------------

/**
 * dx = dy * act'(.) from the saved activation output y (n elements):
 * act 0 (none) -> dy;  1 (relu) -> y > 0 ? dy : 0;  2 (sigmoid) -> dy * y * (1 - y), evaluated as (dy*y)*(1-y) in f32.
 */
export function actBackward(y: usize, dy: usize, dx: usize, n: i32, act: i32, tid: i32, nth: i32): void {
  const lo = lo4(n, tid, nth);
  const hi = hi4(n, tid, nth);
  if (lo >= hi) return;
  const vEnd = lo + ((hi - lo) & ~3);
  if (act == 1) {
    const zero = f32x4.splat(0);
    for (let i = lo; i < vEnd; i += 4) {
      const o = <usize>i << 2;
      const keep = f32x4.gt(v128.load(y + o), zero);
      v128.store(dx + o, v128.and(v128.load(dy + o), keep));
    }
    for (let i = vEnd; i < hi; i++) {
      const o = <usize>i << 2;
      store<f32>(dx + o, load<f32>(y + o) > 0 ? load<f32>(dy + o) : <f32>0);
    }
  } else if (act == 2) {
    const one = f32x4.splat(1);
    for (let i = lo; i < vEnd; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(y + o);
      v128.store(dx + o, f32x4.mul(f32x4.mul(v128.load(dy + o), v), f32x4.sub(one, v)));
    }
    for (let i = vEnd; i < hi; i++) {
      const o = <usize>i << 2;
      const v = load<f32>(y + o);
      store<f32>(dx + o, load<f32>(dy + o) * v * (<f32>1 - v));
    }
  } else {
    if (dx != dy) memory.copy(dx + (<usize>lo << 2), dy + (<usize>lo << 2), <usize>(hi - lo) << 2);
  }
}

// ---- bias gradient -------------------------------------------------------------------------------------------

/**
 * db[j] (+)= sum_i dy[i*cols + j] over rows, accumulated in f64 (f64x2 lanes), rounded to f32 once.
 * Split by columns (blocks of 4): each column's sum is the same sequence of f64 additions for any nth.
 */
export function biasGrad(dy: usize, db: usize, rows: i32, cols: i32, accumulate: i32, tid: i32, nth: i32): void {
  const lo = lo4(cols, tid, nth);
  const hi = hi4(cols, tid, nth);
  if (lo >= hi) return;
  const stride = <usize>cols << 2;
  let j = lo;
  // 8 columns per pass: four f64x2 accumulators.
  for (; j + 8 <= hi; j += 8) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    if (accumulate) {
      const b0 = v128.load(db + (<usize>j << 2));
      const b1 = v128.load(db + (<usize>j << 2), 16);
      a0 = f64x2.promote_low_f32x4(b0);
      a1 = f64x2.promote_low_f32x4(i64x2.shuffle(b0, b0, 1, 1));
      a2 = f64x2.promote_low_f32x4(b1);
      a3 = f64x2.promote_low_f32x4(i64x2.shuffle(b1, b1, 1, 1));
    }
    let p = dy + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      const x0 = v128.load(p);
      const x1 = v128.load(p, 16);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(x0));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i64x2.shuffle(x0, x0, 1, 1)));
      a2 = f64x2.add(a2, f64x2.promote_low_f32x4(x1));
      a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i64x2.shuffle(x1, x1, 1, 1)));
      p += stride;
    }
    v128.store(db + (<usize>j << 2), i64x2.shuffle(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 2));
    v128.store(db + (<usize>j << 2), i64x2.shuffle(f32x4.demote_f64x2_zero(a2), f32x4.demote_f64x2_zero(a3), 0, 2), 16);
  }
  for (; j + 4 <= hi; j += 4) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    if (accumulate) {
      const b0 = v128.load(db + (<usize>j << 2));
      a0 = f64x2.promote_low_f32x4(b0);
      a1 = f64x2.promote_low_f32x4(i64x2.shuffle(b0, b0, 1, 1));
    }
    let p = dy + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      const x0 = v128.load(p);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(x0));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i64x2.shuffle(x0, x0, 1, 1)));
      p += stride;
    }
    v128.store(db + (<usize>j << 2), i64x2.shuffle(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 2));
  }
  for (; j < hi; j++) {
    let s: f64 = accumulate ? <f64>load<f32>(db + (<usize>j << 2)) : 0;
    let p = dy + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      s += <f64>load<f32>(p);
      p += stride;
    }
    store<f32>(db + (<usize>j << 2), <f32>s);
  }
}

// ---- relu + dropout backward ---------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function reluDrop4(out: v128, dy: v128, scale: v128): v128 {
  return v128.and(f32x4.mul(dy, scale), f32x4.gt(out, f32x4.splat(0)));
}

// @ts-ignore: decorator
@inline
function reluDrop1(out: usize, dy: usize, o: usize, scale: f32): f32 {
  return load<f32>(out + o) > 0 ? load<f32>(dy + o) * scale : <f32>0;
}

/**
 * dx = out > 0 ? dy * scale : 0 over (rows, cols), the backward of relu followed by dropout from the dropout's output
 * (the product dy * scale is the one dropoutBackward's mask gives, so dx matches that path bit for bit up to the
 * sign of zeros). With db != 0 also db[j] (+)= sum_i dx[i, j], exactly as biasGrad on dx: the f32 values summed in
 * f64 in row order, so the split is by columns (blocks of 4); without db it is by elements.
 */
export function reluDropoutBackward(
  out: usize, dy: usize, dx: usize, rows: i32, cols: i32, scale: f32, db: usize, accumulate: i32, tid: i32, nth: i32,
): void {
  const vs = f32x4.splat(scale);
  if (db == 0) {
    const n = rows * cols;
    const lo = lo4(n, tid, nth);
    const hi = hi4(n, tid, nth);
    const vEnd = lo + ((hi - lo) & ~3);
    for (let i = lo; i < vEnd; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, reluDrop4(v128.load(out + o), v128.load(dy + o), vs));
    }
    for (let i = vEnd; i < hi; i++) store<f32>(dx + (<usize>i << 2), reluDrop1(out, dy, <usize>i << 2, scale));
    return;
  }
  const lo = lo4(cols, tid, nth);
  const hi = hi4(cols, tid, nth);
  if (lo >= hi) return;
  const stride = <usize>cols << 2;
  let j = lo;
  for (; j + 8 <= hi; j += 8) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    const bp = db + (<usize>j << 2);
    if (accumulate) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      a0 = f64x2.promote_low_f32x4(b0);
      a1 = f64x2.promote_low_f32x4(i64x2.shuffle(b0, b0, 1, 1));
      a2 = f64x2.promote_low_f32x4(b1);
      a3 = f64x2.promote_low_f32x4(i64x2.shuffle(b1, b1, 1, 1));
    }
    let o = <usize>j << 2;
    for (let i = 0; i < rows; i++) {
      const x0 = reluDrop4(v128.load(out + o), v128.load(dy + o), vs);
      const x1 = reluDrop4(v128.load(out + o, 16), v128.load(dy + o, 16), vs);
      v128.store(dx + o, x0);
      v128.store(dx + o, x1, 16);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(x0));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i64x2.shuffle(x0, x0, 1, 1)));
      a2 = f64x2.add(a2, f64x2.promote_low_f32x4(x1));
      a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i64x2.shuffle(x1, x1, 1, 1)));
      o += stride;
    }
    v128.store(bp, i64x2.shuffle(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 2));
    v128.store(bp, i64x2.shuffle(f32x4.demote_f64x2_zero(a2), f32x4.demote_f64x2_zero(a3), 0, 2), 16);
  }
  for (; j < hi; j++) {
    let s: f64 = accumulate ? <f64>load<f32>(db + (<usize>j << 2)) : 0;
    let o = <usize>j << 2;
    for (let i = 0; i < rows; i++) {
      const v = reluDrop1(out, dy, o, scale);
      store<f32>(dx + o, v);
      s += <f64>v;
      o += stride;
    }
    store<f32>(db + (<usize>j << 2), <f32>s);
  }
}

// ---- simple elementwise --------------------------------------------------------------------------------------

/** out = a * b (f32), n elements. */
export function mul(a: usize, b: usize, out: usize, n: i32, tid: i32, nth: i32): void {
  const lo = lo4(n, tid, nth);
  const hi = hi4(n, tid, nth);
  const vEnd = lo + ((hi - lo) & ~3);
  for (let i = lo; i < vEnd; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (let i = vEnd; i < hi; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

/** out = alpha * x + beta * y in f32 (two products, one sum; no fused multiply-add). */
export function axpby(x: usize, y: usize, out: usize, n: i32, alpha: f32, beta: f32, tid: i32, nth: i32): void {
  const lo = lo4(n, tid, nth);
  const hi = hi4(n, tid, nth);
  const vEnd = lo + ((hi - lo) & ~3);
  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  for (let i = lo; i < vEnd; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(f32x4.mul(va, v128.load(x + o)), f32x4.mul(vb, v128.load(y + o))));
  }
  for (let i = vEnd; i < hi; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, alpha * load<f32>(x + o) + beta * load<f32>(y + o));
  }
}

/** out[i] = value for n elements. */
export function fill(out: usize, n: i32, value: f32, tid: i32, nth: i32): void {
  const lo = lo4(n, tid, nth);
  const hi = hi4(n, tid, nth);
  const vEnd = lo + ((hi - lo) & ~3);
  const v = f32x4.splat(value);
  for (let i = lo; i < vEnd; i += 4) v128.store(out + (<usize>i << 2), v);
  for (let i = vEnd; i < hi; i++) store<f32>(out + (<usize>i << 2), value);
}

// ---- softmax -------------------------------------------------------------------------------------------------

/**
 * Row-wise softmax of x (rows, cols) into out, rows split over threads. Per row: max (f32), e_c = exp(x_c - max)
 * computed in f64 and kept in out as f32, total = sum of the f64 exponentials, out_c = f32(e_c / total).
 * A row with cols == 0 writes nothing. out may alias x.
 */
export function softmax(x: usize, out: usize, rows: i32, cols: i32, tid: i32, nth: i32): void {
  const r0 = rowLo(rows, tid, nth);
  const r1 = rowLo(rows, tid + 1, nth);
  if (cols <= 0) return;
  const vcols = cols & ~3;
  for (let r = r0; r < r1; r++) {
    const xr = x + ((<usize>r * <usize>cols) << 2);
    const orow = out + ((<usize>r * <usize>cols) << 2);
    let mx: f32 = load<f32>(xr);
    if (vcols > 0) {
      let vm = v128.load(xr);
      for (let c = 4; c < vcols; c += 4) vm = f32x4.max(vm, v128.load(xr + (<usize>c << 2)));
      mx = Mathf.max(
        Mathf.max(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)),
        Mathf.max(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)),
      );
    }
    for (let c = vcols; c < cols; c++) mx = Mathf.max(mx, load<f32>(xr + (<usize>c << 2)));
    const m64 = <f64>mx;
    let total: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(<f64>load<f32>(xr + (<usize>c << 2)) - m64);
      total += e;
      store<f32>(orow + (<usize>c << 2), <f32>e);
    }
    // Division by the f64 total (not multiplication by its reciprocal) keeps each output within ~1 ulp.
    for (let c = 0; c < cols; c++) {
      const p = orow + (<usize>c << 2);
      store<f32>(p, <f32>(<f64>load<f32>(p) / total));
    }
  }
}

/**
 * Softmax backward from the saved output y (rows, cols): dx = y * (dy - sum_c dy_c y_c) per row, rows split over
 * threads. (Not in the original kernel list: ts/backend/wasm calls it as softmaxBackward(y, dy, dx, rows, cols).)
 * The row dot product and the per-element arithmetic are in f64 (f32 inputs promoted; their products are exact),
 * as in the reference; each dx is rounded to f32 once. dx may alias dy or y.
 */
export function softmaxBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32, tid: i32, nth: i32): void {
  const r0 = rowLo(rows, tid, nth);
  const r1 = rowLo(rows, tid + 1, nth);
  if (cols <= 0) return;
  const vcols = cols & ~3;
  for (let r = r0; r < r1; r++) {
    const off = (<usize>r * <usize>cols) << 2;
    const yr = y + off;
    const dyr = dy + off;
    const dxr = dx + off;
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    for (let c = 0; c < vcols; c += 4) {
      const o = <usize>c << 2;
      const yv = v128.load(yr + o);
      const gv = v128.load(dyr + o);
      a0 = f64x2.add(a0, f64x2.mul(f64x2.promote_low_f32x4(gv), f64x2.promote_low_f32x4(yv)));
      a1 = f64x2.add(a1, f64x2.mul(f64x2.promote_low_f32x4(i64x2.shuffle(gv, gv, 1, 1)), f64x2.promote_low_f32x4(i64x2.shuffle(yv, yv, 1, 1))));
    }
    const acc = f64x2.add(a0, a1);
    let dot = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (let c = vcols; c < cols; c++) {
      const o = <usize>c << 2;
      dot += <f64>load<f32>(dyr + o) * <f64>load<f32>(yr + o);
    }
    const vdot = f64x2.splat(dot);
    for (let c = 0; c < vcols; c += 4) {
      const o = <usize>c << 2;
      const yv = v128.load(yr + o);
      const gv = v128.load(dyr + o);
      const lo = f64x2.mul(f64x2.promote_low_f32x4(yv), f64x2.sub(f64x2.promote_low_f32x4(gv), vdot));
      const hi = f64x2.mul(
        f64x2.promote_low_f32x4(i64x2.shuffle(yv, yv, 1, 1)),
        f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(gv, gv, 1, 1)), vdot),
      );
      v128.store(dxr + o, i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2));
    }
    for (let c = vcols; c < cols; c++) {
      const o = <usize>c << 2;
      store<f32>(dxr + o, <f32>(<f64>load<f32>(yr + o) * (<f64>load<f32>(dyr + o) - dot)));
    }
  }
}

// ---- copies --------------------------------------------------------------------------------------------------

/** out row i = src row <i32>idx[i] (idx holds integer-valued f32), cols floats per row; rows split over threads. */
export function gatherRows(src: usize, idx: usize, out: usize, rows: i32, cols: i32, tid: i32, nth: i32): void {
  const r0 = rowLo(rows, tid, nth);
  const r1 = rowLo(rows, tid + 1, nth);
  if (cols <= 0) return;
  const rowBytes = <usize>cols << 2;
  for (let i = r0; i < r1; i++) {
    const row = <usize><i32>load<f32>(idx + (<usize>i << 2));
    memory.copy(out + <usize>i * rowBytes, src + row * rowBytes, rowBytes);
  }
}

/**
 * out row i = src row <i32>idx[i] of a uint8 pixel tensor (cols bytes per row), each byte b as <f32>(<f64>b / 255):
 * exactly Math.fround(b / 255); rows split over threads.
 */
export function gatherPixels(src: usize, idx: usize, out: usize, rows: i32, cols: i32, tid: i32, nth: i32): void {
  const r0 = rowLo(rows, tid, nth);
  const r1 = rowLo(rows, tid + 1, nth);
  if (cols <= 0) return;
  for (let i = r0; i < r1; i++) {
    const s = src + <usize><i32>load<f32>(idx + (<usize>i << 2)) * <usize>cols;
    const o = out + ((<usize>i * <usize>cols) << 2);
    for (let c = 0; c < cols; c++) store<f32>(o + (<usize>c << 2), <f32>(<f64>load<u8>(s + <usize>c) / 255.0));
  }
}

/** dst[r*dstCols + dstCol + c] = src[r*srcCols + srcCol + c] for r < rows, c < cols; rows split over threads. */
export function copyCols(
  src: usize, dst: usize, rows: i32, srcCols: i32, dstCols: i32, srcCol: i32, dstCol: i32, cols: i32, tid: i32, nth: i32,
): void {
  const r0 = rowLo(rows, tid, nth);
  const r1 = rowLo(rows, tid + 1, nth);
  if (cols <= 0) return;
  const bytes = <usize>cols << 2;
  const sStride = <usize>srcCols << 2;
  const dStride = <usize>dstCols << 2;
  if (srcCols == cols && dstCols == cols && srcCol == 0 && dstCol == 0) {
    // Contiguous whole-tensor copy: one block.
    memory.copy(dst + <usize>r0 * dStride, src + <usize>r0 * sStride, <usize>(r1 - r0) * bytes);
    return;
  }
  let s = src + (<usize>srcCol << 2) + <usize>r0 * sStride;
  let d = dst + (<usize>dstCol << 2) + <usize>r0 * dStride;
  for (let r = r0; r < r1; r++) {
    memory.copy(d, s, bytes);
    s += sStride;
    d += dStride;
  }
}

// ---- row normalisation ---------------------------------------------------------------------------------------

/**
 * out row r = scale * s_r * x row r / ||x row r|| for rows, cols, s_r = rowScales[r] (f32) or 1 when rowScales is 0:
 * the squares summed in f64, k = scale * s_r / sqrt(ss) in f64, each element k * x in f64 rounded to f32 once; a zero
 * row gives zeros. out may be x. Single-threaded (VAT's perturbations are one batch of images).
 */
export function l2NormalizeRows(x: usize, out: usize, rows: i32, cols: i32, scale: f64, rowScales: usize): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>r * <usize>cols) << 2);
    const or = out + ((<usize>r * <usize>cols) << 2);
    let ss: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const v = <f64>load<f32>(xr + (<usize>c << 2));
      ss += v * v;
    }
    const s: f64 = rowScales != 0 ? <f64>load<f32>(rowScales + (<usize>r << 2)) : 1;
    const k: f64 = ss > 0 ? (scale * s) / Math.sqrt(ss) : 0;
    for (let c = 0; c < cols; c++) {
      const o = <usize>c << 2;
      store<f32>(or + o, <f32>(k * <f64>load<f32>(xr + o)));
    }
  }
}

// ---- non-finite flag -------------------------------------------------------------------------------------------

/** store<f32>(flag, 1) when any of x[0..n) is NaN or +-Infinity (exponent bits all ones); flag untouched otherwise. */
export function flagNonFinite(x: usize, n: i32, flag: usize): void {
  for (let i = 0; i < n; i++) {
    if ((load<u32>(x + (<usize>i << 2)) & 0x7f800000) == 0x7f800000) {
      store<f32>(flag, 1);
      return;
    }
  }
}

// ---- sum -----------------------------------------------------------------------------------------------------

/** store<f32>(out, sum of x[0..n)), single-threaded, accumulated in f64 (four f64x2 partial sums). */
export function sum(x: usize, n: i32, out: usize): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  const n8 = n > 0 ? n & ~7 : 0;
  let i = 0;
  for (; i < n8; i += 8) {
    const p = x + (<usize>i << 2);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(x0));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i64x2.shuffle(x0, x0, 1, 1)));
    a2 = f64x2.add(a2, f64x2.promote_low_f32x4(x1));
    a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i64x2.shuffle(x1, x1, 1, 1)));
  }
  const acc = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) s += <f64>load<f32>(x + (<usize>i << 2));
  store<f32>(out, <f32>s);
}
