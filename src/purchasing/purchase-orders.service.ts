/**
 * The purchase-order use cases, one per file; callers outside purchasing (the routes,
 * tests, the bench) find them all here.
 */
export { addLine } from './add-purchase-order-line.js';
export { createPurchaseOrder, insertPurchaseOrder } from './create-purchase-order.js';
export { getPurchaseOrder, listChanges, listPurchaseOrders } from './purchase-order-queries.js';
export { receive } from './receive-purchase-order.js';
export { removeLine } from './remove-purchase-order-line.js';
export { transition } from './transition-purchase-order.js';
export { updateLine } from './update-purchase-order-line.js';
