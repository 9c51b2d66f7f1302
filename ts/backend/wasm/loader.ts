// Finds and compiles one of the two Wasm builds of the Node backend (files, V8 flags), and reads the browser builds
// for Node's runs of the browser backend.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { BackendError } from '../backend.js';
import { type SimdChoice } from './browser-builds.js';

export interface LoadedModule {
  module: WebAssembly.Module;
  simd: 'relaxed' | 'plain';
  reason: string;
  file: string;
}

/** build/wasm/ of the package: the same relative place from ts/backend/wasm/ (tsx) and dist/backend/wasm/. */
export function wasmDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'build', 'wasm');
}

function read(file: string): Uint8Array<ArrayBuffer> {
  if (!existsSync(file)) {
    throw new BackendError(`wasm: ${file} is missing; build the kernels with \`npm run build:wasm\` (npm install does it)`);
  }
  return new Uint8Array(readFileSync(file));
}

let relaxedFlagSet = false;

/** Turns on relaxed SIMD in Node 20's V8; must run before the relaxed module is compiled. Idempotent. */
function enableRelaxedSimd(): void {
  if (relaxedFlagSet) return;
  relaxedFlagSet = true;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // Not fatal: validation below decides which build loads.
  }
}

/**
 * The bytes of build/wasm/`file`, as a page's fetch gives them: the `load` of BrowserWasmBackend.create in Node.
 * Turns on relaxed SIMD first, so that this engine validates the relaxed build.
 */
export async function readWasmBuild(file: string): Promise<ArrayBuffer> {
  enableRelaxedSimd();
  const bytes = await readFile(join(wasmDir(), file));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/**
 * Loads the relaxed-SIMD build where the engine validates it, the plain-SIMD build otherwise.
 * `simd` forces a build ('relaxed' throws if the engine cannot run it); AAE_WASM_SIMD=plain|relaxed does the same.
 */
export function loadWasmModule(simd: SimdChoice = 'auto'): LoadedModule {
  const dir = wasmDir();
  const choice = (process.env['AAE_WASM_SIMD'] as SimdChoice | undefined) ?? simd;
  if (choice !== 'plain') {
    enableRelaxedSimd();
    const file = join(dir, 'aae.relaxed.wasm');
    const bytes = read(file);
    if (WebAssembly.validate(bytes)) {
      return { module: new WebAssembly.Module(bytes), simd: 'relaxed', file, reason: 'this engine supports relaxed SIMD (f32x4.relaxed_madd)' };
    }
    if (choice === 'relaxed') throw new BackendError('wasm: the relaxed-SIMD build does not validate on this engine; use the plain build (simd: "plain")');
    const file2 = join(dir, 'aae.simd.wasm');
    return { module: new WebAssembly.Module(read(file2)), simd: 'plain', file: file2, reason: 'this engine rejects relaxed SIMD, so the plain-SIMD build is used' };
  }
  const file = join(dir, 'aae.simd.wasm');
  return {
    module: new WebAssembly.Module(read(file)),
    simd: 'plain',
    file,
    reason: process.env['AAE_WASM_SIMD'] ? 'AAE_WASM_SIMD=plain forced the plain-SIMD build' : 'the plain-SIMD build was requested',
  };
}
