import { LineChart } from '@mantine/charts';
import { Button, NativeSelect, NumberInput, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { formatDate, formatQuantity } from '../../components/format';
import { ItemLink } from './item-link';
import { ReportControls } from './report-controls';
import { ReportPanel, type ReportQuery } from './report-panel';
import type { Forecast as ForecastBody } from './report-types';
import { useLocations } from './use-locations';
import { useReport } from './use-report';

type Day = ForecastBody['days'][number];
interface ForecastRows {
  rows: Day[];
  forecast: ForecastBody | null;
}
const round = (value: number) => Math.round(value * 10) / 10;

/** A form the user submits, so typing a SKU does not fetch a forecast per keystroke. */
function ForecastForm({
  sku,
  location,
  horizon,
  onSubmit,
}: {
  sku: string;
  location: string;
  horizon: number;
  onSubmit: (values: { sku: string; location: string; horizon: number }) => void;
}) {
  const locations = useLocations();
  const [draft, setDraft] = useState({ sku, location, horizon });
  // Until one is picked, the select shows (and submits) the first location, whenever the
  // list arrives: remounting the form for it would lose what the user typed meanwhile.
  const chosenLocation = draft.location || (locations.data?.[0]?.code ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ ...draft, sku: draft.sku.trim(), location: chosenLocation });
  };
  return (
    <form onSubmit={submit}>
      <ReportControls>
        <TextInput
          label="SKU"
          required
          value={draft.sku}
          onChange={(event) => setDraft({ ...draft, sku: event.currentTarget.value })}
        />
        <NativeSelect
          label="Location"
          value={chosenLocation}
          data={(locations.data ?? []).map((l) => ({
            value: l.code,
            label: `${l.name} (${l.code})`,
          }))}
          onChange={(event) => setDraft({ ...draft, location: event.currentTarget.value })}
        />
        <NumberInput
          label="Days ahead"
          min={1}
          max={365}
          value={draft.horizon}
          onChange={(value) => typeof value === 'number' && setDraft({ ...draft, horizon: value })}
          w={120}
        />
        <Button type="submit" color="indigo.8">
          Show forecast
        </Button>
      </ReportControls>
    </form>
  );
}

export function Forecast() {
  const [params, setParams] = useSearchParams();
  const locations = useLocations();
  const sku = params.get('sku') ?? '';
  const location = params.get('location') ?? locations.data?.[0]?.code ?? '';
  const horizon = Number(params.get('horizon') ?? 28);
  const query = { location, horizon };
  const path = '/v1/forecasts/{sku}';
  const ready = sku !== '' && location !== '';
  const forecast = useReport(
    path,
    { sku, ...query },
    ({ sku, location, horizon }, signal) =>
      unwrap(api.GET(path, { params: { path: { sku }, query: { location, horizon } }, signal })),
    ready,
  );
  // Until an item is chosen there is nothing to fetch: the panel shows how to choose one.
  const rows: ReportQuery<ForecastRows> = ready
    ? {
        ...forecast,
        data: forecast.data && { rows: forecast.data.days, forecast: forecast.data },
      }
    : {
        data: { rows: [], forecast: null },
        error: null,
        isError: false,
        isFetching: false,
        refetch: () => {},
      };
  return (
    <ReportPanel<ForecastRows, Day>
      title="Forecast"
      description="Daily demand expected for one item at one location, with its 80% interval, from the model that won the backtest on the item's history."
      controls={
        <>
          <ForecastForm
            key={params.toString()}
            sku={sku}
            location={params.get('location') ?? ''}
            horizon={horizon}
            onSubmit={(values) =>
              setParams(
                (current) => {
                  const next = new URLSearchParams(current);
                  next.set('sku', values.sku);
                  next.set('location', values.location);
                  next.set('horizon', String(values.horizon));
                  return next;
                },
                { replace: true },
              )
            }
          />
          {ready && forecast.data && (
            <Text size="sm">
              <ItemLink sku={forecast.data.sku} /> at {forecast.data.location}: method{' '}
              {forecast.data.method}
              {forecast.data.backtest
                ? `, backtest SMAPE ${formatQuantity(round(forecast.data.backtest.smape))}%`
                : ', too little history to backtest'}
              ; history through {formatDate(forecast.data.historyThrough)}.
            </Text>
          )}
        </>
      }
      query={rows}
      empty={ready ? 'No forecast days' : 'Choose an item and a location'}
      emptyHint={
        ready ? 'Try more days ahead.' : 'Type a SKU, pick a location and press Show forecast.'
      }
      chart={({ forecast: body }) => {
        if (body === null) throw new Error('rows without a forecast');
        const total = body.days.reduce((sum, d) => sum + d.forecast, 0);
        const peak = body.days.reduce((a, d) => (d.forecast > a.forecast ? d : a), body.days[0]!);
        return {
          caption: `Line chart of the daily forecast for ${body.sku} at ${body.location} over ${body.days.length} days from ${formatDate(body.days[0]!.date)}, with the 80% interval: ${formatQuantity(round(total))} units in all, busiest ${formatDate(peak.date)} (${formatQuantity(round(peak.forecast))}).`,
          chart: (
            <LineChart
              accessibilityLayer={false}
              h={280}
              data={body.days.map((d) => ({
                date: d.date.slice(5),
                forecast: round(d.forecast),
                lower: round(d.lower),
                upper: round(d.upper),
              }))}
              dataKey="date"
              withLegend
              withDots={false}
              series={[
                {
                  name: 'upper',
                  label: '90th percentile',
                  color: 'gray.5',
                  strokeDasharray: '4 4',
                },
                { name: 'forecast', label: 'Forecast', color: 'indigo.6' },
                {
                  name: 'lower',
                  label: '10th percentile',
                  color: 'gray.5',
                  strokeDasharray: '4 4',
                },
              ]}
            />
          ),
        };
      }}
      columns={[
        { id: 'date', header: 'Date', cell: (d) => formatDate(d.date) },
        {
          id: 'forecast',
          header: 'Forecast',
          cell: (d) => formatQuantity(round(d.forecast)),
          numeric: true,
        },
        {
          id: 'lower',
          header: '10th percentile',
          cell: (d) => formatQuantity(round(d.lower)),
          numeric: true,
        },
        {
          id: 'upper',
          header: '90th percentile',
          cell: (d) => formatQuantity(round(d.upper)),
          numeric: true,
        },
      ]}
      rowKey={(d) => d.date}
    />
  );
}
