import { BarChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { api } from '../../api/client';
import { formatQuantity } from '../../components/format';
import { daysText, percent, periodText } from './chart-data';
import { csvHref } from './csv';
import { ItemLink } from './item-link';
import { jsonBody } from './json-body';
import { compact, lastDays, useReportParams } from './period';
import { CsvDownload, PeriodPicker, ReportControls } from './report-controls';
import { ReportPanel } from './report-panel';
import type { BackorderWaitRow, BackorderWaitsReport } from './report-types';
import { useReport } from './use-report';
import { waitHistogram } from './wait-histogram';

const PATH = '/v1/reports/backorder-waits';

export function BackorderWaits() {
  const { period, update } = useReportParams(lastDays());
  const query = compact({ ...period });
  const report = useReport(PATH, query, async (params, signal) =>
    jsonBody((await api.GET(PATH, { params: { query: params }, signal })).data),
  );
  return (
    <ReportPanel<BackorderWaitsReport, BackorderWaitRow>
      title="Backorder waits"
      description="Lines backordered when their order was placed in the period: how long they waited (to shipping, or until now while waiting) and how often their first promised date held."
      controls={
        <ReportControls>
          <PeriodPicker period={period} onChange={update} />
          <CsvDownload href={csvHref(PATH, query)} disabled={report.isError} />
        </ReportControls>
      }
      query={report}
      empty="No line was backordered in this period"
      emptyHint="Try a longer period."
      summary={({ totals }) => (
        <Text size="sm">
          {formatQuantity(totals.lines)} lines backordered, {formatQuantity(totals.waiting)} still
          waiting. Wait: mean {daysText(totals.waitDaysMean)}, median{' '}
          {daysText(totals.waitDaysMedian)}, 90th percentile {daysText(totals.waitDaysP90)}. First
          promise kept: {percent(totals.onTimeRate)} of {totals.promisesMeasured} measured.
        </Text>
      )}
      chart={(body) => {
        const bins = waitHistogram(body.rows);
        const busiest = bins.reduce((a, b) => (b.lines > a.lines ? b : a), bins[0]!);
        return {
          caption: `Histogram of backordered lines by their item's mean wait in days, for orders placed ${periodText(body.from, body.to)}. Most lines (${busiest.lines}) fall in ${busiest.label}; the median wait over all lines is ${daysText(body.totals.waitDaysMedian)}.`,
          chart: (
            <BarChart
              accessibilityLayer={false}
              maxBarWidth={28}
              h={240}
              data={bins}
              dataKey="label"
              series={[{ name: 'lines', label: 'Lines', color: 'grape.6' }]}
              xAxisLabel="Mean wait of the item"
              yAxisLabel="Lines"
            />
          ),
        };
      }}
      columns={[
        { id: 'item', header: 'Item', cell: (r) => <ItemLink sku={r.sku} name={r.name} /> },
        { id: 'lines', header: 'Lines', cell: (r) => r.lines, numeric: true },
        { id: 'waiting', header: 'Waiting', cell: (r) => r.waiting, numeric: true },
        { id: 'mean', header: 'Mean wait', cell: (r) => daysText(r.waitDaysMean), numeric: true },
        { id: 'median', header: 'Median', cell: (r) => daysText(r.waitDaysMedian), numeric: true },
        { id: 'p90', header: '90th pct.', cell: (r) => daysText(r.waitDaysP90), numeric: true },
        { id: 'onTime', header: 'On time', cell: (r) => percent(r.onTimeRate), numeric: true },
        {
          id: 'late',
          header: 'Mean days late',
          cell: (r) => daysText(r.meanDaysLate),
          numeric: true,
        },
      ]}
      rowKey={(r) => r.sku}
    />
  );
}
