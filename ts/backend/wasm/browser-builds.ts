// The browser builds of the kernels, build/wasm/aae.browser.{relaxed,simd}.wasm: the asm/ sources compiled for an
// ordinary (non-shared) memory, which any page may create without cross-origin isolation. No Node imports: the
// explorer page fetches and compiles them.
import { BackendError } from '../backend.js';

export type SimdChoice = 'auto' | 'relaxed' | 'plain';

export const BROWSER_BUILDS = { relaxed: 'aae.browser.relaxed.wasm', plain: 'aae.browser.simd.wasm' } as const;

export interface BrowserBuild {
  module: WebAssembly.Module;
  simd: 'relaxed' | 'plain';
  file: string;
  reason: string;
}

/**
 * Compiles the relaxed-SIMD build where the engine validates it (f32x4.relaxed_madd), the plain-SIMD build
 * otherwise; `simd` forces one. `load(file)` returns a build's bytes (fetch in a page, readWasmBuild in Node).
 */
export async function loadBrowserBuild(load: (file: string) => Promise<ArrayBuffer>, simd: SimdChoice = 'auto'): Promise<BrowserBuild> {
  if (simd !== 'plain') {
    const file = BROWSER_BUILDS.relaxed;
    const bytes = await load(file);
    if (WebAssembly.validate(bytes)) return { module: await WebAssembly.compile(bytes), simd: 'relaxed', file, reason: 'this engine supports relaxed SIMD (f32x4.relaxed_madd)' };
    if (simd === 'relaxed') throw new BackendError('wasm: the relaxed-SIMD build does not validate on this engine; use the plain build');
  }
  const file = BROWSER_BUILDS.plain;
  const bytes = await load(file);
  if (!WebAssembly.validate(bytes)) throw new BackendError('wasm: this engine has no WebAssembly SIMD, which both kernel builds need');
  const reason = simd === 'plain' ? 'the plain-SIMD build was requested' : 'this engine rejects relaxed SIMD, so the plain-SIMD build is used';
  return { module: await WebAssembly.compile(bytes), simd: 'plain', file, reason };
}
