import { BarChart } from '@mantine/charts';
import { NumberInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client';
import { formatDate, formatQuantity } from '../../components/format';
import { itemLabel, percent, periodText, TOP_BARS } from './chart-data';
import { csvHref } from './csv';
import { ItemLink } from './item-link';
import { jsonBody } from './json-body';
import { compact, lastDays, useReportParams } from './period';
import { CsvDownload, LocationFilter, PeriodPicker, ReportControls } from './report-controls';
import { ReportPanel } from './report-panel';
import type { EmergingReport, EmergingRow } from './report-types';
import { useReport } from './use-report';

const PATH = '/v1/reports/emerging';

const growthText = (r: EmergingRow) => (r.growth === null ? 'new' : `+${percent(r.growth)}`);

export function Emerging() {
  const { period, location, update } = useReportParams(lastDays());
  const [minUnits, setMinUnits] = useState(10);
  const query = compact({ ...period, location, minUnits });
  const report = useReport(PATH, query, async (params, signal) =>
    jsonBody((await api.GET(PATH, { params: { query: params }, signal })).data),
  );
  return (
    <ReportPanel<EmergingReport, EmergingRow>
      title="Emerging items"
      description="Items selling more than in the period of equal length just before, with at least the units asked for: new sellers first, then by growth."
      controls={
        <ReportControls>
          <PeriodPicker period={period} onChange={update} />
          <LocationFilter value={location} onChange={(code) => update({ location: code })} />
          <NumberInput
            label="At least units"
            min={1}
            max={1_000_000}
            value={minUnits}
            onChange={(value) => typeof value === 'number' && value >= 1 && setMinUnits(value)}
            w={140}
          />
          <CsvDownload href={csvHref(PATH, query)} disabled={report.isError} />
        </ReportControls>
      }
      query={report}
      empty="No item grew in this period"
      chart={(body) => {
        const top = body.rows.slice(0, TOP_BARS);
        const before = `${formatDate(body.previousFrom)} – ${formatDate(body.previousTo)}`;
        return {
          caption: `Grouped bar chart of units sold in ${periodText(body.from, body.to)} against the period before (${before}), for ${top.length} growing items. ${itemLabel(top[0]!)} leads: ${formatQuantity(top[0]!.units)} units against ${formatQuantity(top[0]!.previousUnits)} (${growthText(top[0]!)}).`,
          chart: (
            <BarChart
              accessibilityLayer={false}
              maxBarWidth={28}
              h={Math.max(220, top.length * 34)}
              data={top.map((r) => ({
                item: r.name,
                units: r.units,
                previousUnits: r.previousUnits,
              }))}
              dataKey="item"
              orientation="vertical"
              yAxisProps={{ width: 180 }}
              withLegend
              series={[
                { name: 'previousUnits', label: 'Period before', color: 'gray.5' },
                { name: 'units', label: 'This period', color: 'teal.6' },
              ]}
            />
          ),
        };
      }}
      columns={[
        { id: 'item', header: 'Item', cell: (r) => <ItemLink sku={r.sku} name={r.name} /> },
        { id: 'category', header: 'Category', cell: (r) => r.category },
        { id: 'units', header: 'Units', cell: (r) => formatQuantity(r.units), numeric: true },
        {
          id: 'previous',
          header: 'Units before',
          cell: (r) => formatQuantity(r.previousUnits),
          numeric: true,
        },
        { id: 'growth', header: 'Growth', cell: growthText, numeric: true },
      ]}
      rowKey={(r) => r.sku}
    />
  );
}
