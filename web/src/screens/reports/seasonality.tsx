import { LineChart } from '@mantine/charts';
import { api } from '../../api/client';
import { formatQuantity } from '../../components/format';
import { listText, periodText } from './chart-data';
import { csvHref } from './csv';
import { jsonBody } from './json-body';
import { compact, useReportParams } from './period';
import { CsvDownload, LocationFilter, PeriodPicker, ReportControls } from './report-controls';
import { ReportPanel } from './report-panel';
import type { SeasonalityReport, SeasonalityRow } from './report-types';
import { useReport } from './use-report';

const PATH = '/v1/reports/seasonality';
const COLORS = [
  'indigo.6',
  'teal.6',
  'orange.6',
  'grape.6',
  'red.6',
  'cyan.7',
  'lime.7',
  'pink.6',
  'yellow.7',
  'gray.6',
];
const monthName = (month: number) =>
  new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, month - 1, 1)),
  );

/** One point per calendar month, one key per category: the shape LineChart draws. */
function byMonth(rows: readonly SeasonalityRow[]) {
  const months = [...new Set(rows.map((r) => r.month))].sort((a, b) => a - b);
  return months.map((month) => {
    const point: Record<string, string | number | null> = { month: monthName(month) };
    for (const r of rows) if (r.month === month) point[r.category] = r.index;
    return point;
  });
}

/** "kitchen peaks in Dec (1.4)" for the categories with the strongest peaks. */
function peaks(rows: readonly SeasonalityRow[]): string {
  const best = new Map<string, SeasonalityRow>();
  for (const r of rows) {
    const current = best.get(r.category);
    if (r.index !== null && (current === undefined || (current.index ?? 0) < r.index))
      best.set(r.category, r);
  }
  const strongest = [...best.values()].sort((a, b) => (b.index ?? 0) - (a.index ?? 0)).slice(0, 3);
  return listText(
    strongest.map(
      (r) => `${r.category} peaks in ${monthName(r.month)} (${formatQuantity(r.index ?? 0)})`,
    ),
  );
}

export function Seasonality() {
  // Seasonality reads all history unless a period is picked: a month would show nothing.
  const { period, location, update } = useReportParams({ from: '', to: '' });
  const query = compact({ ...period, location });
  const report = useReport(PATH, query, async (params, signal) =>
    jsonBody((await api.GET(PATH, { params: { query: params }, signal })).data),
  );
  return (
    <ReportPanel<SeasonalityReport, SeasonalityRow>
      title="Seasonality"
      description="Each calendar month's average daily units per category, divided by the category's average over the whole range: above 1 sells more than usual, below 1 less."
      controls={
        <ReportControls>
          <PeriodPicker period={period} onChange={update} hint="Leave empty for all history" />
          <LocationFilter value={location} onChange={(code) => update({ location: code })} />
          <CsvDownload href={csvHref(PATH, query)} disabled={report.isError} />
        </ReportControls>
      }
      query={report}
      empty="Nothing was sold in this range"
      chart={(body) => {
        const categories = [...new Set(body.rows.map((r) => r.category))];
        return {
          caption: `Line chart of the monthly seasonality index of ${categories.length} categories, ${periodText(body.from, body.to)} (1 = the category's average). ${peaks(body.rows)}.`,
          chart: (
            <LineChart
              accessibilityLayer={false}
              h={300}
              data={byMonth(body.rows)}
              dataKey="month"
              withLegend
              referenceLines={[{ y: 1, color: 'gray.5' }]}
              series={categories.map((name, i) => ({ name, color: COLORS[i % COLORS.length]! }))}
              valueFormatter={(v) => formatQuantity(v)}
            />
          ),
        };
      }}
      columns={[
        { id: 'category', header: 'Category', cell: (r) => r.category },
        { id: 'month', header: 'Month', cell: (r) => monthName(r.month) },
        { id: 'days', header: 'Days', cell: (r) => r.days, numeric: true },
        { id: 'units', header: 'Units', cell: (r) => formatQuantity(r.units), numeric: true },
        {
          id: 'daily',
          header: 'Units a day',
          cell: (r) => formatQuantity(r.averageDailyUnits),
          numeric: true,
        },
        {
          id: 'index',
          header: 'Index',
          cell: (r) => (r.index === null ? '—' : formatQuantity(r.index)),
          numeric: true,
        },
      ]}
      rowKey={(r) => `${r.category}-${r.month}`}
    />
  );
}
