import { BarChart } from '@mantine/charts';
import { NumberInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client';
import { formatQuantity } from '../../components/format';
import { itemLabel, percent, periodText, plural, TOP_BARS } from './chart-data';
import { csvHref } from './csv';
import { ItemLink } from './item-link';
import { jsonBody } from './json-body';
import { compact, lastDays, useReportParams } from './period';
import { CsvDownload, LocationFilter, PeriodPicker, ReportControls } from './report-controls';
import { ReportPanel } from './report-panel';
import type { RepeatStockoutRow, RepeatStockoutsReport } from './report-types';
import { useReport } from './use-report';

const PATH = '/v1/reports/repeat-stockouts';

export function RepeatStockouts() {
  const { period, location, update } = useReportParams(lastDays());
  const [minEpisodes, setMinEpisodes] = useState(3);
  const query = compact({ ...period, location, minEpisodes });
  const report = useReport(PATH, query, async (params, signal) =>
    jsonBody((await api.GET(PATH, { params: { query: params }, signal })).data),
  );
  return (
    <ReportPanel<RepeatStockoutsReport, RepeatStockoutRow>
      title="Repeat stock-outs"
      description="Items that ran out again and again: a sign to raise the reorder point or find a more reliable supplier."
      controls={
        <ReportControls>
          <PeriodPicker period={period} onChange={update} />
          <LocationFilter value={location} onChange={(code) => update({ location: code })} />
          <NumberInput
            label="At least this many stock-outs"
            min={1}
            max={1000}
            value={minEpisodes}
            onChange={(value) => typeof value === 'number' && value >= 1 && setMinEpisodes(value)}
            w={220}
          />
          <CsvDownload href={csvHref(PATH, query)} disabled={report.isError} />
        </ReportControls>
      }
      query={report}
      empty="No item ran out that often in this period"
      emptyHint="Try a longer period or fewer stock-outs."
      chart={(body) => {
        const top = body.rows.slice(0, TOP_BARS);
        return {
          caption: `Bar chart of stock-out episodes for ${plural(top.length, 'item')} that ran out at least ${body.minEpisodes} times, ${periodText(body.from, body.to)}. ${itemLabel(top[0]!)} ran out ${top[0]!.episodes} times.`,
          chart: (
            <BarChart
              accessibilityLayer={false}
              maxBarWidth={28}
              h={Math.max(200, top.length * 28)}
              data={top.map((r) => ({ item: r.name, episodes: r.episodes }))}
              dataKey="item"
              orientation="vertical"
              yAxisProps={{ width: 180 }}
              series={[{ name: 'episodes', label: 'Stock-outs', color: 'red.6' }]}
            />
          ),
        };
      }}
      columns={[
        { id: 'item', header: 'Item', cell: (r) => <ItemLink sku={r.sku} name={r.name} /> },
        { id: 'episodes', header: 'Stock-outs', cell: (r) => r.episodes, numeric: true },
        { id: 'daysOut', header: 'Days out', cell: (r) => r.daysOut, numeric: true },
        { id: 'locations', header: 'Locations', cell: (r) => r.locations },
        {
          id: 'lost',
          header: 'Units refused',
          cell: (r) => formatQuantity(r.lostUnits),
          numeric: true,
        },
        { id: 'supplier', header: 'Supplier', cell: (r) => r.supplier ?? '—' },
        {
          id: 'onTime',
          header: 'Supplier on time',
          cell: (r) => percent(r.supplierOnTimeRate),
          numeric: true,
        },
        { id: 'suggestion', header: 'Suggestion', cell: (r) => r.suggestion },
      ]}
      rowKey={(r) => r.sku}
    />
  );
}
