import { BarChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { api } from '../../api/client';
import { formatMoney, formatQuantity } from '../../components/format';
import { itemLabel, periodText, TOP_BARS } from './chart-data';
import { csvHref } from './csv';
import { ItemLink } from './item-link';
import { jsonBody } from './json-body';
import { compact, lastDays, useReportParams } from './period';
import { CsvDownload, PeriodPicker, ReportControls } from './report-controls';
import { ReportPanel } from './report-panel';
import type { LostDemandReport, LostDemandRow } from './report-types';
import { useReport } from './use-report';

const PATH = '/v1/reports/lost-demand';

export function LostDemand() {
  const { period, update } = useReportParams(lastDays());
  const query = compact({ ...period });
  const report = useReport(PATH, query, async (params, signal) =>
    jsonBody((await api.GET(PATH, { params: { query: params }, signal })).data),
  );
  return (
    <ReportPanel<LostDemandReport, LostDemandRow>
      title="Lost demand"
      description="Units customers asked for and could not buy (refused as out of stock), per item and channel, valued at today's price."
      controls={
        <ReportControls>
          <PeriodPicker period={period} onChange={update} />
          <CsvDownload href={csvHref(PATH, query)} disabled={report.isError} />
        </ReportControls>
      }
      query={report}
      empty="No sale was refused in this period"
      emptyHint="Try a longer period."
      summary={(body) => (
        <Text size="sm">
          In total {formatQuantity(body.totals.units)} units refused, worth{' '}
          {formatMoney(body.totals.value)}.
        </Text>
      )}
      chart={(body) => {
        const top = body.rows.slice(0, TOP_BARS);
        return {
          caption: `Bar chart of the value of refused sales for the top ${top.length} items, ${periodText(body.from, body.to)}. ${itemLabel(top[0]!)} on ${top[0]!.channel} lost the most: ${formatQuantity(top[0]!.units)} units, ${formatMoney(top[0]!.value)}.`,
          chart: (
            <BarChart
              accessibilityLayer={false}
              maxBarWidth={28}
              h={Math.max(200, top.length * 28)}
              data={top.map((r) => ({ item: `${r.name} · ${r.channel}`, value: r.value }))}
              dataKey="item"
              orientation="vertical"
              yAxisProps={{ width: 200 }}
              series={[{ name: 'value', label: 'Value lost', color: 'orange.6' }]}
              valueFormatter={(value) => formatMoney(value)}
            />
          ),
        };
      }}
      columns={[
        { id: 'item', header: 'Item', cell: (r) => <ItemLink sku={r.sku} name={r.name} /> },
        { id: 'category', header: 'Category', cell: (r) => r.category },
        { id: 'channel', header: 'Channel', cell: (r) => r.channel },
        {
          id: 'units',
          header: 'Units refused',
          cell: (r) => formatQuantity(r.units),
          numeric: true,
        },
        { id: 'value', header: 'Value', cell: (r) => formatMoney(r.value), numeric: true },
      ]}
      rowKey={(r) => `${r.sku}@${r.channel}`}
    />
  );
}
