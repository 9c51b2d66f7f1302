// Loss kernels. Inputs are f32 tensors; every per-element formula is evaluated in f64 exactly as in
// ts/backend/reference.ts, sums are accumulated in f64, and each result is rounded to f32 once.
// eps = 1e-15 as an f64 (LOSS_EPS in backend.ts). `loss` receives one f32; gradient pointers may be 0 (not written).
// All are single-threaded except bceWithSigmoid (the reconstruction loss over B x 784 pixels, two logs each), which
// takes (tid, nth) and leaves one f64 partial sum per thread for the caller to add up in thread order.

const EPS: f64 = 1e-15;

/**
 * Binary cross-entropy of a sigmoid output y against target t (n elements), mean over elements:
 * loss = -(1/n) sum t log(y + eps) + (1 - t) log(1 - y + eps);
 * dLogits = d loss / d z for y = sigmoid(z): (-t y(1-y)/(y + eps) + (1-t) y(1-y)/(1 - y + eps)) / n.
 * Thread tid takes an even share of the element pairs, writes their gradients and stores its part of the sum,
 * sum t log(y + eps) + (1 - t) log(1 - y + eps) over its share, as an f64 at partials + 8 tid; the caller sets
 * loss = f32(-(partials[0] + ... + partials[nth-1]) / n).
 */
export function bceWithSigmoid(y: usize, t: usize, n: i32, partials: usize, dLogits: usize, tid: i32, nth: i32): void {
  const nf = <f64>n;
  const pairs = (<i64>n + 1) >> 1;
  const lo = <i32>min<i64>(((pairs * <i64>tid) / <i64>nth) << 1, <i64>n);
  const hi = <i32>min<i64>(((pairs * <i64>(tid + 1)) / <i64>nth) << 1, <i64>n);
  let total: f64 = 0;
  // Two f64 lanes at a time for the gradient (f64x2 keeps the reference's f64 arithmetic); logs are scalar.
  const end2 = lo + ((hi - lo) & ~1);
  const one = f64x2.splat(1);
  const eps = f64x2.splat(EPS);
  const vn = f64x2.splat(nf);
  let i = lo;
  for (; i < end2; i += 2) {
    const o = <usize>i << 2;
    const p = f64x2.promote_low_f32x4(v128.load64_zero(y + o));
    const q = f64x2.promote_low_f32x4(v128.load64_zero(t + o));
    const p0 = f64x2.extract_lane(p, 0), p1 = f64x2.extract_lane(p, 1);
    const q0 = f64x2.extract_lane(q, 0), q1 = f64x2.extract_lane(q, 1);
    total += q0 * Math.log(p0 + EPS) + (1 - q0) * Math.log(1 - p0 + EPS);
    total += q1 * Math.log(p1 + EPS) + (1 - q1) * Math.log(1 - p1 + EPS);
    if (dLogits) {
      const omp = f64x2.sub(one, p);
      // ((-t * p * (1 - p)) / (p + eps) + ((1 - t) * p * (1 - p)) / (1 - p + eps)) / n, same operation order.
      const a = f64x2.div(f64x2.mul(f64x2.mul(f64x2.neg(q), p), omp), f64x2.add(p, eps));
      const b = f64x2.div(f64x2.mul(f64x2.mul(f64x2.sub(one, q), p), omp), f64x2.add(omp, eps));
      const g = f64x2.div(f64x2.add(a, b), vn);
      v128.store_lane<i64>(dLogits + o, f32x4.demote_f64x2_zero(g), 0);
    }
  }
  for (; i < hi; i++) {
    const o = <usize>i << 2;
    const p = <f64>load<f32>(y + o);
    const q = <f64>load<f32>(t + o);
    total += q * Math.log(p + EPS) + (1 - q) * Math.log(1 - p + EPS);
    if (dLogits) store<f32>(dLogits + o, <f32>(((-q * p * (1 - p)) / (p + EPS) + ((1 - q) * p * (1 - p)) / (1 - p + EPS)) / nf));
  }
  store<f64>(partials + (<usize>tid << 3), total);
}

/** log sum exp of the f32 row zr[0..cols), in f64 with the max subtracted first. */
// @ts-ignore: decorator
@inline
function rowLogSumExp(zr: usize, cols: i32): f64 {
  let mx: f64 = -Infinity;
  for (let c = 0; c < cols; c++) mx = Math.max(mx, <f64>load<f32>(zr + (<usize>c << 2)));
  let sumExp: f64 = 0;
  for (let c = 0; c < cols; c++) sumExp += Math.exp(<f64>load<f32>(zr + (<usize>c << 2)) - mx);
  return mx + Math.log(sumExp);
}

/**
 * Cross-entropy of logits z (rows, cols) against target probabilities t, mean over rows. Per row: log-softmax with
 * max subtraction (logZ = max + log sum exp(z - max)); loss = -(1/rows) sum t (z - logZ);
 * dLogits = (exp(z - logZ) * sum_c t - t) / rows.
 */
export function crossEntropy(z: usize, t: usize, rows: i32, cols: i32, loss: usize, dLogits: usize): void {
  const rf = <f64>rows;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const zr = z + ((<usize>r * <usize>cols) << 2);
    const tr = t + ((<usize>r * <usize>cols) << 2);
    const logZ = rowLogSumExp(zr, cols);
    let tSum: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const tc = <f64>load<f32>(tr + (<usize>c << 2));
      total += tc * (<f64>load<f32>(zr + (<usize>c << 2)) - logZ);
      tSum += tc;
    }
    if (dLogits) {
      const dr = dLogits + ((<usize>r * <usize>cols) << 2);
      for (let c = 0; c < cols; c++) {
        const o = <usize>c << 2;
        store<f32>(dr + o, <f32>((Math.exp(<f64>load<f32>(zr + o) - logZ) * tSum - <f64>load<f32>(tr + o)) / rf));
      }
    }
  }
  store<f32>(loss, <f32>(-total / rf));
}

/**
 * Mean entropy of the row softmaxes of z (rows, cols): loss = (1/rows) sum_r H_r, H_r = -sum_c q log q with
 * log q = z - logZ (max subtraction as crossEntropy); dLogits = -q (log q + H_r) / rows.
 */
export function entropy(z: usize, rows: i32, cols: i32, loss: usize, dLogits: usize): void {
  const rf = <f64>rows;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const zr = z + ((<usize>r * <usize>cols) << 2);
    const logZ = rowLogSumExp(zr, cols);
    let h: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const lq = <f64>load<f32>(zr + (<usize>c << 2)) - logZ;
      h -= Math.exp(lq) * lq;
    }
    total += h;
    if (dLogits) {
      const dr = dLogits + ((<usize>r * <usize>cols) << 2);
      for (let c = 0; c < cols; c++) {
        const o = <usize>c << 2;
        const lq = <f64>load<f32>(zr + o) - logZ;
        store<f32>(dr + o, <f32>((-Math.exp(lq) * (lq + h)) / rf));
      }
    }
  }
  store<f32>(loss, <f32>(total / rf));
}

/**
 * Entropy of the mean row softmax of z (rows, cols): loss = -sum_c m_c log m_c, m = (1/rows) sum_r q_r;
 * dLogits = q_r (sum_c q_rc log m_c - log m) / rows, a class with m_c = 0 contributing nothing. scratch: cols f64,
 * first the sums of q, then log m.
 */
export function marginalEntropy(z: usize, rows: i32, cols: i32, loss: usize, dLogits: usize, scratch: usize): void {
  const rf = <f64>rows;
  for (let c = 0; c < cols; c++) store<f64>(scratch + (<usize>c << 3), 0);
  for (let r = 0; r < rows; r++) {
    const zr = z + ((<usize>r * <usize>cols) << 2);
    const logZ = rowLogSumExp(zr, cols);
    for (let c = 0; c < cols; c++) {
      const s = scratch + (<usize>c << 3);
      store<f64>(s, load<f64>(s) + Math.exp(<f64>load<f32>(zr + (<usize>c << 2)) - logZ));
    }
  }
  let h: f64 = 0;
  for (let c = 0; c < cols; c++) {
    const s = scratch + (<usize>c << 3);
    const m = load<f64>(s) / rf;
    const lm = m > 0 ? Math.log(m) : 0;
    h -= m * lm;
    store<f64>(s, lm);
  }
  store<f32>(loss, <f32>h);
  if (!dLogits) return;
  for (let r = 0; r < rows; r++) {
    const zr = z + ((<usize>r * <usize>cols) << 2);
    const dr = dLogits + ((<usize>r * <usize>cols) << 2);
    const logZ = rowLogSumExp(zr, cols);
    let s: f64 = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(<f64>load<f32>(zr + (<usize>c << 2)) - logZ) * load<f64>(scratch + (<usize>c << 3));
    for (let c = 0; c < cols; c++) {
      const o = <usize>c << 2;
      const q = Math.exp(<f64>load<f32>(zr + o) - logZ);
      store<f32>(dr + o, <f32>((q * (s - load<f64>(scratch + (<usize>c << 3)))) / rf));
    }
  }
}

/**
 * Discriminator loss on sigmoid outputs: loss = -(1/n) sum log(dReal + eps) + log(1 - dFake + eps).
 * gradReal = -(r(1-r))/(r + eps)/n, gradFake = (f(1-f))/(1 - f + eps)/n: gradients w.r.t. the sigmoid's logits.
 */
export function discriminatorLoss(dReal: usize, dFake: usize, n: i32, loss: usize, gradReal: usize, gradFake: usize): void {
  const nf = <f64>n;
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const r = <f64>load<f32>(dReal + o);
    const f = <f64>load<f32>(dFake + o);
    total += Math.log(r + EPS) + Math.log(1 - f + EPS);
    if (gradReal) store<f32>(gradReal + o, <f32>(-(r * (1 - r)) / (r + EPS) / nf));
    if (gradFake) store<f32>(gradFake + o, <f32>((f * (1 - f)) / (1 - f + EPS) / nf));
  }
  store<f32>(loss, <f32>(-total / nf));
}

/** Generator loss on sigmoid outputs: loss = -(1/n) sum log(dFake + eps); grad = -(f(1-f))/(f + eps)/n. */
export function generatorLoss(dFake: usize, n: i32, loss: usize, grad: usize): void {
  const nf = <f64>n;
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const f = <f64>load<f32>(dFake + o);
    total += Math.log(f + EPS);
    if (grad) store<f32>(grad + o, <f32>(-(f * (1 - f)) / (f + EPS) / nf));
  }
  store<f32>(loss, <f32>(-total / nf));
}

/** |w_i - w_j| in f64 for columns i, j of w: (d, n), row-major f32. */
function headDistance(w: usize, d: i32, n: i32, i: i32, j: i32): f64 {
  let s: f64 = 0;
  for (let k = 0; k < d; k++) {
    const diff = <f64>load<f32>(w + (<usize>(k * n + i) << 2)) - <f64>load<f32>(w + (<usize>(k * n + j) << 2));
    s += diff * diff;
  }
  return Math.sqrt(s);
}

/**
 * Cluster-head cost of w: (d, n) (see ts/backend/cluster-heads.ts): cost = weight * sum over pairs i < j of
 * relu(eta - |w_i - w_j|); grad[k, i] += weight * sum over j != i with 0 < dist < eta of (w[k, j] - w[k, i]) / dist.
 * f64 throughout; one thread (n is the number of clusters, d the representation's 2 dimensions).
 */
export function clusterHeadCost(w: usize, d: i32, n: i32, eta: f64, weight: f64, cost: usize, grad: usize): void {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dist = headDistance(w, d, n, i, j);
      if (dist < eta) total += eta - dist;
    }
  }
  store<f32>(cost, <f32>(weight * total));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const wi = <f64>load<f32>(w + (<usize>(k * n + i) << 2));
      let g: f64 = 0;
      for (let j = 0; j < n; j++) {
        if (j == i) continue;
        const dist = headDistance(w, d, n, i, j);
        if (dist >= eta || dist == 0) continue;
        g += (<f64>load<f32>(w + (<usize>(k * n + j) << 2)) - wi) / dist;
      }
      const p = grad + (<usize>(k * n + i) << 2);
      store<f32>(p, <f32>(<f64>load<f32>(p) + weight * g));
    }
  }
}
