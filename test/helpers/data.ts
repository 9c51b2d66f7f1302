// Test data helpers: the same deterministic inputs and comparison that gpu:verify uses.
export { firstMismatch, randomArray } from '../../ts/util/fixtures.js';
