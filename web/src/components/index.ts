export {
  type AvailabilityState,
  AvailabilityStateBadge,
  availabilityStateLabel,
} from './availability-state-badge';
export { DataTable, type DataTableColumn } from './data-table';
export { EmptyState } from './empty-state';
export { ErrorPanel } from './error-panel';
export { formatDate, formatDateTime, formatMoney, formatQuantity } from './format';
export { PageTitle } from './page-title';
export { QuantityBadge } from './quantity-badge';
