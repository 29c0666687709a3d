import { BarChart } from '@mantine/charts';
import { api } from '../../api/client';
import { formatDate, formatMoney } from '../../components/format';
import { daysText, listText, percent } from './chart-data';
import { csvHref } from './csv';
import { jsonBody } from './json-body';
import { CsvDownload, ReportControls } from './report-controls';
import { type ChartView, ReportPanel } from './report-panel';
import type { ScorecardRow, ScorecardsReport } from './report-types';
import { useReport } from './use-report';

const PATH = '/v1/reports/supplier-scorecards';
const NO_QUERY = {};

const rateFigure = (value: number | null) =>
  value === null ? null : Math.round(value * 1000) / 10;

function openValueChart(body: ScorecardsReport): ChartView {
  const largest = body.rows.reduce((a, r) => (r.openValue > a.openValue ? r : a), body.rows[0]!);
  return {
    caption: `Bar chart of the value still on order per supplier, as of ${formatDate(body.asOf)}: no delivery has finished yet, so there are no on-time or fill rates to compare. ${largest.supplier} has the most open, ${formatMoney(largest.openValue)} over ${largest.openLines} lines.`,
    chart: (
      <BarChart
        accessibilityLayer={false}
        maxBarWidth={28}
        h={220}
        data={body.rows.map((r) => ({ supplier: r.supplier, openValue: r.openValue }))}
        dataKey="supplier"
        series={[{ name: 'openValue', label: 'Open value', color: 'indigo.6' }]}
        valueFormatter={(value) => formatMoney(value)}
      />
    ),
  };
}

export function SupplierScorecards() {
  const report = useReport(PATH, NO_QUERY, async (_params, signal) =>
    jsonBody((await api.GET(PATH, { signal })).data),
  );
  return (
    <ReportPanel<ScorecardsReport, ScorecardRow>
      title="Supplier scorecards"
      description="Per supplier over every order ever sent: lead time, on-time rate (delivered in full by the first promised date) and fill rate; what is open and late today."
      controls={
        <ReportControls>
          <CsvDownload href={csvHref(PATH, NO_QUERY)} disabled={report.isError} />
        </ReportControls>
      }
      query={report}
      empty="No supplier yet"
      emptyHint="Add suppliers under Purchasing."
      chart={(body) => {
        const unmeasured = body.rows.filter((r) => r.onTimeRate === null && r.fillRate === null);
        const measured = body.rows.filter((r) => !unmeasured.includes(r));
        // Before any delivery has finished there are no rates to draw: what is on order
        // with each supplier is then the one figure worth a chart.
        if (measured.length === 0) return openValueChart(body);
        const said = measured.map(
          (r) => `${r.supplier} ${percent(r.onTimeRate)} on time, ${percent(r.fillRate)} filled`,
        );
        const none =
          unmeasured.length > 0
            ? ` No finished delivery yet to measure for ${listText(unmeasured.map((r) => r.supplier))} (no bar).`
            : '';
        return {
          caption: `Bar chart of on-time and fill rates per supplier, as of ${formatDate(body.asOf)}. ${listText(said)}.${none}`,
          chart: (
            <BarChart
              accessibilityLayer={false}
              maxBarWidth={28}
              h={260}
              data={body.rows.map((r) => ({
                supplier: r.supplier,
                onTime: rateFigure(r.onTimeRate),
                fill: rateFigure(r.fillRate),
              }))}
              dataKey="supplier"
              unit="%"
              yAxisProps={{ domain: [0, 100] }}
              withLegend
              series={[
                { name: 'onTime', label: 'On time', color: 'teal.6' },
                { name: 'fill', label: 'Fill rate', color: 'indigo.6' },
              ]}
            />
          ),
        };
      }}
      columns={[
        { id: 'supplier', header: 'Supplier', cell: (r) => r.supplier },
        { id: 'sent', header: 'Lines sent', cell: (r) => r.linesSent, numeric: true },
        {
          id: 'lead',
          header: 'Lead time',
          cell: (r) =>
            r.leadTimeMeanDays === null
              ? '—'
              : `${daysText(r.leadTimeMeanDays)} ± ${daysText(r.leadTimeStdDevDays)}`,
          numeric: true,
        },
        { id: 'onTime', header: 'On time', cell: (r) => percent(r.onTimeRate), numeric: true },
        { id: 'fill', header: 'Fill rate', cell: (r) => percent(r.fillRate), numeric: true },
        { id: 'open', header: 'Open lines', cell: (r) => r.openLines, numeric: true },
        { id: 'value', header: 'Open value', cell: (r) => formatMoney(r.openValue), numeric: true },
        { id: 'late', header: 'Late now', cell: (r) => r.linesLateNow, numeric: true },
      ]}
      rowKey={(r) => r.supplier}
    />
  );
}
