import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { type Command, InvalidArgumentError } from 'commander';
import type { AppContext } from '../kernel/context.js';
import { type ForecastView, forecastAll } from '../replenishment/forecast.service.js';

type WithContext = <T>(run: (ctx: AppContext) => Promise<T>) => Promise<T>;

const HEADER = 'date,location,sku,forecast,lower,upper';

function horizonOf(value: string): number {
  const horizon = Number(value);
  if (!/^\d+$/.test(value) || horizon < 1 || horizon > 365) {
    throw new InvalidArgumentError('the horizon is a whole number of days from 1 to 365');
  }
  return horizon;
}

function dateOf(value: string): string {
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
  if (!valid || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('a date is YYYY-MM-DD');
  }
  return value;
}

/** Writes the CSV a line at a time, waiting when the destination is full. */
async function writeCsv(out: Writable, forecasts: readonly ForecastView[]): Promise<void> {
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(HEADER);
  for (const series of forecasts) {
    for (const day of series.days) {
      // SKUs and location codes are letters, digits, ".", "_" and "-": nothing to quote.
      await write(
        `${day.date},${series.location},${series.sku},${day.forecast},${day.lower},${day.upper}`,
      );
    }
  }
}

export function registerForecastCommands(program: Command, withContext: WithContext): void {
  const forecast = program.command('forecast').description('Demand forecasts');
  forecast
    .command('export')
    .description(
      'Forecast every item × location with demand history and write CSV (date,location,sku,forecast,lower,upper; lower/upper: the 80% interval), one row per series and day, from the day after each series’ last history day; records each chosen method',
    )
    .requiredOption('--horizon <days>', 'days to forecast, 1 to 365', horizonOf)
    .option('--from <date>', 'first forecast day: history is read through the day before', dateOf)
    .option('--output <file>', 'write to this file instead of standard output')
    .action(async (options: { horizon: number; from?: string; output?: string }) => {
      const forecasts = await withContext((ctx) =>
        forecastAll(ctx, {
          horizon: options.horizon,
          ...(options.from !== undefined && { from: options.from }),
        }),
      );
      if (options.output === undefined) {
        await writeCsv(process.stdout, forecasts);
        return;
      }
      const file = createWriteStream(options.output);
      await writeCsv(file, forecasts);
      file.end();
      await once(file, 'close');
    });
}
