import { BarChart } from '@mantine/charts';
import { NumberInput, Text } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client';
import { formatMoney, formatQuantity } from '../../components/format';
import { daysText, itemLabel, periodText, TOP_BARS } from './chart-data';
import { csvHref } from './csv';
import { ItemLink } from './item-link';
import { jsonBody } from './json-body';
import { compact, lastDays, useReportParams } from './period';
import { CsvDownload, LocationFilter, PeriodPicker, ReportControls } from './report-controls';
import { ReportPanel } from './report-panel';
import type { ExcessStockReport, ExcessStockRow } from './report-types';
import { useReport } from './use-report';

const PATH = '/v1/reports/excess-stock';

export function ExcessStock() {
  const { period, location, update } = useReportParams(lastDays());
  const [thresholdDays, setThresholdDays] = useState(90);
  const query = compact({ ...period, location, thresholdDays });
  const report = useReport(PATH, query, async (params, signal) =>
    jsonBody((await api.GET(PATH, { params: { query: params }, signal })).data),
  );
  return (
    <ReportPanel<ExcessStockReport, ExcessStockRow>
      title="Excess stock"
      description="Stock beyond a number of days of cover at the period's rate of demand, and the money tied up in it."
      controls={
        <ReportControls>
          <PeriodPicker period={period} onChange={update} />
          <LocationFilter value={location} onChange={(code) => update({ location: code })} />
          <NumberInput
            label="Days of cover above"
            min={1}
            max={3650}
            value={thresholdDays}
            onChange={(value) => typeof value === 'number' && value >= 1 && setThresholdDays(value)}
            w={170}
          />
          <CsvDownload href={csvHref(PATH, query)} disabled={report.isError} />
        </ReportControls>
      }
      query={report}
      empty={`Nothing has more than ${thresholdDays} days of cover`}
      summary={(body) => (
        <Text size="sm">
          {formatMoney(body.rows.reduce((sum, r) => sum + r.valueTiedUp, 0))} tied up beyond{' '}
          {body.thresholdDays} days of cover in the {body.rows.length} rows below.
        </Text>
      )}
      chart={(body) => {
        const top = body.rows.slice(0, TOP_BARS);
        return {
          caption: `Bar chart of the value tied up in excess stock for the top ${top.length} item × locations, at the demand of ${periodText(body.from, body.to)}. ${itemLabel(top[0]!, top[0]!.location)} holds the most: ${formatQuantity(top[0]!.excessUnits)} units beyond cover, ${formatMoney(top[0]!.valueTiedUp)}.`,
          chart: (
            <BarChart
              accessibilityLayer={false}
              maxBarWidth={28}
              h={Math.max(200, top.length * 28)}
              data={top.map((r) => ({ item: `${r.name} · ${r.location}`, value: r.valueTiedUp }))}
              dataKey="item"
              orientation="vertical"
              yAxisProps={{ width: 200 }}
              series={[{ name: 'value', label: 'Value tied up', color: 'yellow.7' }]}
              valueFormatter={(value) => formatMoney(value)}
            />
          ),
        };
      }}
      columns={[
        { id: 'item', header: 'Item', cell: (r) => <ItemLink sku={r.sku} name={r.name} /> },
        { id: 'location', header: 'Location', cell: (r) => r.location },
        { id: 'onHand', header: 'On hand', cell: (r) => formatQuantity(r.onHand), numeric: true },
        {
          id: 'daily',
          header: 'Daily demand',
          cell: (r) => formatQuantity(r.averageDailyUnits),
          numeric: true,
        },
        { id: 'cover', header: 'Cover', cell: (r) => daysText(r.daysOfCover), numeric: true },
        {
          id: 'excess',
          header: 'Excess units',
          cell: (r) => formatQuantity(r.excessUnits),
          numeric: true,
        },
        { id: 'cost', header: 'Unit cost', cell: (r) => formatMoney(r.unitCost), numeric: true },
        {
          id: 'tied',
          header: 'Value tied up',
          cell: (r) => formatMoney(r.valueTiedUp),
          numeric: true,
        },
      ]}
      rowKey={(r) => `${r.sku}@${r.location}`}
    />
  );
}
