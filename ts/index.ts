// The public, typed API of the package. Nothing else is public.
export {
  type Activation,
  type AdamGroup,
  type AdamOptions,
  type Backend,
  type BackendInfo,
  type BackendName,
  BackendError,
  type CopyOptions,
  LOSS_EPS,
  type MatmulOptions,
  type RandomOptions,
  Tensor,
} from './backend/backend.js';
export { ReferenceBackend } from './backend/reference.js';
export { BACKEND_NAMES, type BackendChoice, type CreateBackendOptions, createBackend } from './backend/select.js';
export { type WasmBackendOptions } from './backend/wasm/wasm-backend.js';
export { RngStream, countersFor, philox4x32 } from './rng.js';
