// The backend a command asked for, opened before the command announces or writes anything. A backend this machine
// cannot provide (no usable GPU, no CUDA addon, kernels not built) is a matter of the user's setup and flags: its
// one line, and exit code 2.
import { type Backend, BackendError } from '../backend/backend.js';
import { type BackendChoice, type CreateBackendOptions, createBackend } from '../backend/select.js';
import { UsageError } from '../util/usage-error.js';

export async function openBackend(choice: BackendChoice, options: CreateBackendOptions): Promise<Backend> {
  try {
    return await createBackend(choice, options);
  } catch (e) {
    if (e instanceof BackendError) throw new UsageError(e.message, { cause: e });
    throw e;
  }
}
