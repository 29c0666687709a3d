import { BarChart } from '@mantine/charts';
import { api } from '../../api/client';
import { formatQuantity } from '../../components/format';
import { itemLabel, percent, periodText, plural, TOP_BARS } from './chart-data';
import { csvHref } from './csv';
import { ItemLink } from './item-link';
import { jsonBody } from './json-body';
import { compact, lastDays, useReportParams } from './period';
import { CsvDownload, LocationFilter, PeriodPicker, ReportControls } from './report-controls';
import { ReportPanel } from './report-panel';
import type { StockoutRow, StockoutsReport } from './report-types';
import { useReport } from './use-report';

const PATH = '/v1/reports/stockouts';

export function Stockouts() {
  const { period, location, update } = useReportParams(lastDays());
  const query = compact({ ...period, location });
  const report = useReport(PATH, query, async (params, signal) =>
    jsonBody((await api.GET(PATH, { params: { query: params }, signal })).data),
  );
  return (
    <ReportPanel<StockoutsReport, StockoutRow>
      title="Stock-outs"
      description="Days on which an item had nothing on hand at a location, from the stock ledger, most days out first."
      controls={
        <ReportControls>
          <PeriodPicker period={period} onChange={update} />
          <LocationFilter value={location} onChange={(code) => update({ location: code })} />
          <CsvDownload href={csvHref(PATH, query)} disabled={report.isError} />
        </ReportControls>
      }
      query={report}
      empty="No item moved at this location in the period"
      chart={(body) => {
        const out = body.rows.filter((r) => r.daysOut > 0);
        const top = out.slice(0, TOP_BARS);
        const caption =
          top.length === 0
            ? `Bar chart of days out of stock, ${periodText(body.from, body.to)}: no item ran out.`
            : `Bar chart of days out of stock for the ${plural(top.length, 'item')} out longest, ${periodText(body.from, body.to)}. ${out.length} of the ${body.rows.length} item × locations listed ran out; ${itemLabel(top[0]!, top[0]!.location)} was out ${top[0]!.daysOut} of ${top[0]!.days} days.`;
        return {
          caption,
          chart: (
            <BarChart
              accessibilityLayer={false}
              maxBarWidth={28}
              h={Math.max(200, top.length * 28)}
              data={top.map((r) => ({ item: `${r.name} · ${r.location}`, daysOut: r.daysOut }))}
              dataKey="item"
              orientation="vertical"
              yAxisProps={{ width: 200 }}
              series={[{ name: 'daysOut', label: 'Days out', color: 'red.6' }]}
            />
          ),
        };
      }}
      columns={[
        { id: 'item', header: 'Item', cell: (r) => <ItemLink sku={r.sku} name={r.name} /> },
        { id: 'location', header: 'Location', cell: (r) => r.location },
        { id: 'daysOut', header: 'Days out', cell: (r) => r.daysOut, numeric: true },
        {
          id: 'rate',
          header: 'Stock-out rate',
          cell: (r) => percent(r.stockoutRate),
          numeric: true,
        },
        { id: 'episodes', header: 'Episodes', cell: (r) => r.episodes, numeric: true },
        {
          id: 'onHand',
          header: 'On hand now',
          cell: (r) => formatQuantity(r.onHandNow),
          numeric: true,
        },
      ]}
      rowKey={(r) => `${r.sku}@${r.location}`}
    />
  );
}
