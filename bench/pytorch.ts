// The PyTorch peer lives in ts/gpu/pytorch-peer.ts, shared with `npm run gpu:verify`.
export { type PytorchResult, runPytorchStep } from '../ts/gpu/pytorch-peer.js';
