import { BarChart } from '@mantine/charts';
import { NativeSelect } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client';
import { formatMoney, formatQuantity } from '../../components/format';
import { itemLabel, periodText, TOP_BARS } from './chart-data';
import { csvHref } from './csv';
import { ItemLink } from './item-link';
import { jsonBody } from './json-body';
import { compact, lastDays, useReportParams } from './period';
import { CsvDownload, LocationFilter, PeriodPicker, ReportControls } from './report-controls';
import { ReportPanel } from './report-panel';
import type { BestSellerRow, BestSellersReport } from './report-types';
import { useReport } from './use-report';

const PATH = '/v1/reports/best-sellers';

export function BestSellers() {
  const { period, location, update } = useReportParams(lastDays());
  const [by, setBy] = useState<'units' | 'value'>('units');
  const query = compact({ ...period, location, by });
  const report = useReport(PATH, query, async (params, signal) =>
    jsonBody((await api.GET(PATH, { params: { query: params }, signal })).data),
  );
  const measure = (row: BestSellerRow) => (by === 'units' ? row.units : row.value);
  return (
    <ReportPanel<BestSellersReport, BestSellerRow>
      title="Best sellers"
      description="The top items in the period, by units sold (imported sales history and shipments) or by their value at today's price."
      controls={
        <ReportControls>
          <PeriodPicker period={period} onChange={update} />
          <LocationFilter value={location} onChange={(code) => update({ location: code })} />
          <NativeSelect
            label="Rank by"
            value={by}
            data={[
              { value: 'units', label: 'Units' },
              { value: 'value', label: 'Value' },
            ]}
            onChange={(event) => setBy(event.currentTarget.value === 'value' ? 'value' : 'units')}
          />
          <CsvDownload href={csvHref(PATH, query)} disabled={report.isError} />
        </ReportControls>
      }
      query={report}
      empty="Nothing sold in this period"
      chart={(body) => {
        const top = body.rows.slice(0, TOP_BARS);
        const first = top[0]!;
        const format = (v: number) => (by === 'units' ? formatQuantity(v) : formatMoney(v));
        return {
          caption: `Bar chart of the top ${top.length} items by ${by}, ${periodText(body.from, body.to)}. ${itemLabel(first)} leads with ${format(measure(first))}${top.length > 1 ? `; number ${top.length} has ${format(measure(top.at(-1)!))}` : ''}.`,
          chart: (
            <BarChart
              accessibilityLayer={false}
              maxBarWidth={28}
              h={Math.max(200, top.length * 28)}
              data={top.map((row) => ({ item: row.name, [by]: measure(row) }))}
              dataKey="item"
              orientation="vertical"
              yAxisProps={{ width: 180 }}
              series={[{ name: by, label: by === 'units' ? 'Units' : 'Value', color: 'indigo.6' }]}
              valueFormatter={format}
            />
          ),
        };
      }}
      columns={[
        { id: 'rank', header: 'Rank', cell: (r) => r.rank, numeric: true },
        { id: 'item', header: 'Item', cell: (r) => <ItemLink sku={r.sku} name={r.name} /> },
        { id: 'category', header: 'Category', cell: (r) => r.category },
        { id: 'units', header: 'Units', cell: (r) => formatQuantity(r.units), numeric: true },
        { id: 'value', header: 'Value', cell: (r) => formatMoney(r.value), numeric: true },
      ]}
      rowKey={(r) => r.sku}
    />
  );
}
