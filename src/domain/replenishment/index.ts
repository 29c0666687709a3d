/** Replenishment policy: pure functions the replenishment service and the bench share. */
export {
  DEFAULT_REVIEW_DAYS,
  demandOver,
  inventoryPosition,
  type LeadTime,
  leadTimeFor,
  type OrderInput,
  orderQuantity,
  type ReorderInput,
  type ReorderLevels,
  reorderLevels,
} from './levels.js';
export { inverseNormalCdf } from './normal.js';
export {
  ABC_BOUNDS,
  type AbcClass,
  abcClasses,
  DEFAULT_SERVICE_LEVELS,
  serviceLevelFor,
} from './service-level.js';
export {
  projectStockout,
  type Receipt,
  type StockoutInput,
  type StockoutProjection,
} from './stockout.js';
