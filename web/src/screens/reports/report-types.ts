import type { paths } from '../../../../clients/stockroom-api';

/** The JSON body a GET path answers with 200, from the generated client's types. */
type JsonOf<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer Body } } } };
}
  ? Body
  : never;

type RowOf<Body> = Body extends { rows: (infer Row)[] } ? Row : never;

export type StockoutsReport = JsonOf<'/v1/reports/stockouts'>;
export type LostDemandReport = JsonOf<'/v1/reports/lost-demand'>;
export type RepeatStockoutsReport = JsonOf<'/v1/reports/repeat-stockouts'>;
export type BackorderWaitsReport = JsonOf<'/v1/reports/backorder-waits'>;
export type ExcessStockReport = JsonOf<'/v1/reports/excess-stock'>;
export type BestSellersReport = JsonOf<'/v1/reports/best-sellers'>;
export type EmergingReport = JsonOf<'/v1/reports/emerging'>;
export type SeasonalityReport = JsonOf<'/v1/reports/seasonality'>;
export type ScorecardsReport = JsonOf<'/v1/reports/supplier-scorecards'>;
export type ReorderPoints = JsonOf<'/v1/replenishment/reorder-points'>;
export type Forecast = JsonOf<'/v1/forecasts/{sku}'>;

export type StockoutRow = RowOf<StockoutsReport>;
export type LostDemandRow = RowOf<LostDemandReport>;
export type RepeatStockoutRow = RowOf<RepeatStockoutsReport>;
export type BackorderWaitRow = RowOf<BackorderWaitsReport>;
export type ExcessStockRow = RowOf<ExcessStockReport>;
export type BestSellerRow = RowOf<BestSellersReport>;
export type EmergingRow = RowOf<EmergingReport>;
export type SeasonalityRow = RowOf<SeasonalityReport>;
export type ScorecardRow = RowOf<ScorecardsReport>;
export type ReorderPointRow = ReorderPoints['items'][number];
