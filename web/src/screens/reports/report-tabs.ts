import type { ComponentType } from 'react';
import { BackorderWaits } from './backorder-waits';
import { BestSellers } from './best-sellers';
import { Emerging } from './emerging';
import { ExcessStock } from './excess-stock';
import { Forecast } from './forecast';
import { LostDemand } from './lost-demand';
import { ReorderPoints } from './reorder-points';
import { RepeatStockouts } from './repeat-stockouts';
import { Seasonality } from './seasonality';
import { Stockouts } from './stockouts';
import { SupplierScorecards } from './supplier-scorecards';

/** One tab per report; `path` is its address under /reports (the API's name for it). */
export const REPORT_TABS: { path: string; label: string; Component: ComponentType }[] = [
  { path: 'best-sellers', label: 'Best sellers', Component: BestSellers },
  { path: 'stockouts', label: 'Stock-outs', Component: Stockouts },
  { path: 'repeat-stockouts', label: 'Repeat stock-outs', Component: RepeatStockouts },
  { path: 'lost-demand', label: 'Lost demand', Component: LostDemand },
  { path: 'backorder-waits', label: 'Backorder waits', Component: BackorderWaits },
  { path: 'excess-stock', label: 'Excess stock', Component: ExcessStock },
  { path: 'emerging', label: 'Emerging', Component: Emerging },
  { path: 'seasonality', label: 'Seasonality', Component: Seasonality },
  { path: 'supplier-scorecards', label: 'Supplier scorecards', Component: SupplierScorecards },
  { path: 'reorder-points', label: 'Reorder points', Component: ReorderPoints },
  { path: 'forecast', label: 'Forecast', Component: Forecast },
];
