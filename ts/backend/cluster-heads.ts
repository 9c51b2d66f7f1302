// The cluster-head distance cost of the dimensionality-reduction AAE (Makhzani et al. 2016, Sec. 7) in float64:
// the definition the backends' `clusterHeadCost` op implements, and the reference backend's kernel.

/**
 * cost = sum over pairs i < j of relu(eta - |w_i - w_j|) for the n columns w_i of W_c (d, n), row-major, and its
 * gradient (d, n), in float64. Coincident heads (distance 0) add eta to the cost and no gradient.
 */
export function clusterHeadCost(w: ArrayLike<number>, o: { d: number; n: number; eta: number }): { cost: number; grad: Float64Array } {
  const { d, n, eta } = o;
  const grad = new Float64Array(d * n);
  const diff = new Float64Array(d);
  let cost = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dist2 = 0;
      for (let k = 0; k < d; k++) {
        diff[k] = w[k * n + i]! - w[k * n + j]!;
        dist2 += diff[k]! * diff[k]!;
      }
      const dist = Math.sqrt(dist2);
      if (dist >= eta) continue;
      cost += eta - dist;
      if (dist === 0) continue;
      for (let k = 0; k < d; k++) {
        const g = diff[k]! / dist; // d dist / d w_i; the cost falls as dist grows
        grad[k * n + i] = grad[k * n + i]! - g;
        grad[k * n + j] = grad[k * n + j]! + g;
      }
    }
  }
  return { cost, grad };
}
