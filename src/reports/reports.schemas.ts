import { type Static, type TObject, type TProperties, Type } from 'typebox';
import { Code, InputDate, IsoDate, Sku } from '../http/common-schemas.js';

/**
 * Reports: each answers JSON (`{from, to, …, rows}`) or, with `Accept: text/csv` or
 * `format=csv`, its rows as CSV with the same fields as columns. Rows are flat so the two
 * forms say the same thing.
 */

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(
  schema: T,
  description?: string,
) => Type.Union([schema, Type.Null()], description === undefined ? {} : { description });
const rate = (description: string) =>
  nullable(Type.Number({ minimum: 0, maximum: 1 }), description);
const Money = (description: string) => Type.Number({ description });
const Count = (description?: string) =>
  Type.Integer({ minimum: 0, ...(description !== undefined && { description }) });
const Category = Type.String({ minLength: 1, maxLength: 64, description: 'Item category' });

const period = {
  from: Type.Optional(
    InputDate({ description: 'First day included; default 89 days before `to`' }),
  ),
  to: Type.Optional(InputDate({ description: 'Last day included; default today' })),
};
const format = {
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      description: 'csv: the rows as CSV (as does Accept: text/csv)',
    }),
  ),
};
const limit = {
  limit: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'Rows returned at most',
  }),
};
const location = { location: Type.Optional(Code) };
const category = { category: Type.Optional(Category) };
const supplier = { supplier: Type.Optional(Code) };

const query = <P extends TProperties>(properties: P) =>
  Type.Object({ ...properties, ...format }, { additionalProperties: false });

export const StockoutsQuery = query({ ...period, ...location, ...category, ...supplier, ...limit });
export const LostDemandQuery = query({
  ...period,
  ...category,
  channel: Type.Optional(Code),
  ...limit,
});
export const RepeatStockoutsQuery = query({
  ...period,
  ...location,
  ...category,
  ...supplier,
  minEpisodes: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 3,
    description: 'Episodes needed to be listed',
  }),
  ...limit,
});
export const BackorderWaitsQuery = query({ ...period, ...category, ...limit });
export const ExcessStockQuery = query({
  ...period,
  ...location,
  ...category,
  ...supplier,
  thresholdDays: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 90,
    description: 'Days of cover above which stock is excess',
  }),
  ...limit,
});
export const BestSellersQuery = query({
  ...period,
  ...location,
  ...category,
  by: Type.Union([Type.Literal('units'), Type.Literal('value')], { default: 'units' }),
  ...limit,
});
export const EmergingQuery = query({
  ...period,
  ...location,
  ...category,
  minUnits: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 10,
    description: 'Units needed in the period to be listed',
  }),
  ...limit,
});
export const SeasonalityQuery = query({
  from: Type.Optional(
    InputDate({ description: 'First day included; default the first day of history' }),
  ),
  to: Type.Optional(
    InputDate({ description: 'Last day included; default the last day of history' }),
  ),
  ...location,
  ...category,
});
export const ScorecardsQuery = query({ ...supplier });

const itemFields = { sku: Sku, name: Type.String(), category: Type.String() };

export const StockoutRow = Type.Object({
  ...itemFields,
  location: Code,
  daysOut: Count('Days on which on hand was 0 at some moment'),
  days: Count('Days in the period'),
  stockoutRate: Type.Number({ minimum: 0, maximum: 1, description: 'daysOut ÷ days' }),
  episodes: Count('Times on hand reached 0 (a period opening at 0 counts once)'),
  onHandNow: Count(),
});
export const LostDemandRow = Type.Object({
  ...itemFields,
  channel: Code,
  units: Count('Units refused'),
  value: Money('units × the item’s current price'),
});
export const RepeatStockoutRow = Type.Object({
  ...itemFields,
  episodes: Count('Stock-out episodes over the locations in scope'),
  daysOut: Count('Stock-out days summed over those locations'),
  locations: Type.String({ description: 'Codes of the locations that ran out, space-separated' }),
  lostUnits: Count('Units refused in the period'),
  supplier: nullable(Code, 'The preferred supplier, else the first by code; null if none'),
  supplierOnTimeRate: rate('That supplier’s on-time rate over every order sent'),
  suggestion: Type.String(),
});
const waitFields = {
  lines: Count('Lines backordered when placed'),
  waiting: Count('Of which not yet shipped'),
  waitDaysMean: nullable(Type.Number(), 'Placed → shipped, or → now while waiting'),
  waitDaysMedian: nullable(Type.Number()),
  waitDaysP90: nullable(Type.Number()),
  promisesMeasured: Count('Lines delivered, or still open past their first promised date'),
  onTimeRate: rate('Share of measured lines delivered by their first promised date'),
  meanDaysLate: nullable(Type.Number(), 'Mean days past the first promised date, late lines'),
};
export const BackorderWaitRow = Type.Object({ ...itemFields, ...waitFields });
export const ExcessStockRow = Type.Object({
  ...itemFields,
  location: Code,
  onHand: Count(),
  demandUnits: Count('Demand in the period: imported sales, orders placed and demand refused'),
  averageDailyUnits: Type.Number({ minimum: 0 }),
  daysOfCover: nullable(Type.Number(), 'onHand ÷ averageDailyUnits; null when nothing sold'),
  excessUnits: Count('Units beyond thresholdDays of cover'),
  unitCost: Money('Preferred supplier’s cost, else the cheapest supplier’s, else the price'),
  valueTiedUp: Money('excessUnits × unitCost'),
});
export const BestSellerRow = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  ...itemFields,
  units: Count('Imported sales and shipments in the period'),
  value: Money('units × the item’s current price'),
});
export const EmergingRow = Type.Object({
  ...itemFields,
  units: Count(),
  previousUnits: Count('Units in the period of equal length just before'),
  growth: nullable(Type.Number(), '(units − previousUnits) ÷ previousUnits; null for a new seller'),
});
export const SeasonalityRow = Type.Object({
  category: Type.String(),
  month: Type.Integer({ minimum: 1, maximum: 12 }),
  days: Count('Days of this month in the range'),
  units: Count(),
  averageDailyUnits: Type.Number({ minimum: 0 }),
  index: nullable(Type.Number({ minimum: 0 }), 'Month average ÷ the category’s overall average'),
});
export const ScorecardRow = Type.Object({
  supplier: Code,
  linesSent: Count(),
  leadTimeMeanDays: nullable(Type.Number()),
  leadTimeStdDevDays: nullable(Type.Number()),
  onTimeRate: rate('Due lines delivered in full by their first promised date'),
  fillRate: rate('Units received ÷ units ordered, finished lines'),
  openLines: Count('Lines still bringing units'),
  openValue: Money('Units still to come × unit cost'),
  linesLateNow: Count('Open lines past their expected date'),
});

export type StockoutRow = Static<typeof StockoutRow>;
export type LostDemandRow = Static<typeof LostDemandRow>;
export type RepeatStockoutRow = Static<typeof RepeatStockoutRow>;
export type BackorderWaitRow = Static<typeof BackorderWaitRow>;
export type ExcessStockRow = Static<typeof ExcessStockRow>;
export type BestSellerRow = Static<typeof BestSellerRow>;
export type EmergingRow = Static<typeof EmergingRow>;
export type SeasonalityRow = Static<typeof SeasonalityRow>;
export type ScorecardRow = Static<typeof ScorecardRow>;

const periodOut = { from: IsoDate, to: IsoDate };

/** A report's JSON answer: its period, any parameters it applied, totals, then the rows. */
export const reportOf = (row: TObject, extra: TProperties = {}) =>
  Type.Object({ ...periodOut, ...extra, rows: Type.Array(row) });

export const StockoutsReport = reportOf(StockoutRow);
export const LostDemandReport = reportOf(LostDemandRow, {
  totals: Type.Object({ units: Count(), value: Money('Sum of the value column over every row') }),
});
export const RepeatStockoutsReport = reportOf(RepeatStockoutRow, { minEpisodes: Type.Integer() });
export const BackorderWaitsReport = reportOf(BackorderWaitRow, {
  totals: Type.Object(waitFields, { description: 'Every backordered line of the period' }),
});
export const ExcessStockReport = reportOf(ExcessStockRow, { thresholdDays: Type.Integer() });
export const BestSellersReport = reportOf(BestSellerRow, {
  by: Type.Union([Type.Literal('units'), Type.Literal('value')]),
});
export const EmergingReport = reportOf(EmergingRow, {
  previousFrom: IsoDate,
  previousTo: IsoDate,
  minUnits: Type.Integer(),
});
export const SeasonalityReport = Type.Object({
  from: nullable(IsoDate, 'First day of the range; null when nothing was ever sold'),
  to: nullable(IsoDate),
  rows: Type.Array(SeasonalityRow),
});
export const ScorecardsReport = Type.Object({
  asOf: IsoDate,
  rows: Type.Array(ScorecardRow),
});
