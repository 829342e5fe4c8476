/** The workflows a worker bundles (the bundler's entry point: keep it to workflow exports). */
export { orderLifecycle } from './order-lifecycle.js';
