import { type Static, Type } from 'typebox';
import { Code, IsoDate, Sku } from '../http/common-schemas.js';

export const ForecastParams = Type.Object({ sku: Sku });

export const ForecastQuery = Type.Object(
  {
    location: Code,
    horizon: Type.Integer({
      minimum: 1,
      maximum: 365,
      default: 28,
      description: 'Days to forecast, from the day after the last history day',
    }),
    history: Type.Integer({
      minimum: 0,
      maximum: 365,
      default: 0,
      description:
        'Also answer this many days of the demand history the forecast learnt from, ending on historyThrough (fewer if the series is shorter)',
    }),
  },
  { additionalProperties: false },
);
export type ForecastQuery = Static<typeof ForecastQuery>;

const Units = (description: string) => Type.Number({ minimum: 0, description });

export const Forecast = Type.Object(
  {
    sku: Sku,
    location: Code,
    method: Type.String({
      description:
        'The model that won the rolling-origin backtest for this series, e.g. calendar_profile_pooled, seasonal_naive_weekly, holt_winters, tsb',
      examples: ['calendar_profile_pooled'],
    }),
    backtest: Type.Union(
      [
        Type.Object({
          smape: Type.Number({ description: 'Backtest SMAPE, percent (0–200)' }),
          rmsse: Type.Number({ description: 'Backtest RMSSE (M5 definition)' }),
        }),
        Type.Null(),
      ],
      { description: 'The winner’s backtest error; null when the history is too short to test' },
    ),
    historyThrough: IsoDate,
    history: Type.Array(
      Type.Object({
        date: IsoDate,
        quantity: Units('Units demanded that day: sales, orders and refused demand'),
        censored: Type.Boolean({
          description:
            'Out of stock for part of the day, or demand was refused: the quantity undercounts what was wanted, and the models ignore the day',
        }),
      }),
      { description: 'The last `history` days of demand, oldest first; empty unless asked for' },
    ),
    days: Type.Array(
      Type.Object({
        date: IsoDate,
        forecast: Units('Expected units demanded that day'),
        lower: Units('10th percentile: the 80% interval’s lower end'),
        upper: Units('90th percentile: the 80% interval’s upper end'),
      }),
    ),
  },
  { $id: 'Forecast', description: 'Daily demand forecast for one item at one location' },
);
