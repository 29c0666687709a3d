import { Loader, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { ApiError, errorMessage } from '../../api/errors';
import { formatDate, formatQuantity } from '../../components';
import { type Forecast, HISTORY_DAYS, useForecast, useStockLevels } from './item-queries';
import { Section } from './section';

const ForecastChart = lazy(() => import('./forecast-chart'));

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** The chart's numbers in words, for those who cannot see it and for a quick read. */
function Summary({ forecast }: { forecast: Forecast }) {
  const days = forecast.days;
  const censored = forecast.history.filter((day) => day.censored).length;
  return (
    <Text size="sm" data-testid="forecast-summary">
      {formatQuantity(sum(forecast.history.map((day) => day.quantity)))} units demanded in the{' '}
      {forecast.history.length} days to {formatDate(forecast.historyThrough)}
      {censored > 0 && ` (${censored} of them out of stock, ignored by the model)`}; forecast{' '}
      {formatQuantity(Math.round(sum(days.map((day) => day.forecast))))} units over the next{' '}
      {days.length} days, each day between its 10th and 90th percentile. Method: {forecast.method}
      {forecast.backtest && `, backtest error ${forecast.backtest.smape}% SMAPE`}.
    </Text>
  );
}

function Figures({ forecast }: { forecast: Forecast }) {
  return (
    <details>
      <summary>The forecast day by day</summary>
      <Table.ScrollContainer minWidth={400}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Day</Table.Th>
              <Table.Th scope="col" ta="right">
                Forecast
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Low (10%)
              </Table.Th>
              <Table.Th scope="col" ta="right">
                High (90%)
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {forecast.days.map((day) => (
              <Table.Tr key={day.date}>
                <Table.Th scope="row">{formatDate(day.date)}</Table.Th>
                <Table.Td ta="right">{formatQuantity(day.forecast)}</Table.Td>
                <Table.Td ta="right">{formatQuantity(day.lower)}</Table.Td>
                <Table.Td ta="right">{formatQuantity(day.upper)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </details>
  );
}

/** Demand at one location and its forecast with the 80% interval. */
export function ForecastPanel({ sku }: { sku: string }) {
  const stock = useStockLevels(sku);
  const [picked, setPicked] = useState<string | undefined>();
  const location = picked ?? stock.data?.items[0]?.location;
  const forecast = useForecast(sku, location);
  const noHistory =
    forecast.error instanceof ApiError && forecast.error.code === 'NO_DEMAND_HISTORY';
  return (
    <Section
      title="Demand and forecast"
      actions={
        stock.data && (
          <NativeSelect
            label="At location"
            size="xs"
            value={location ?? ''}
            onChange={(event) => setPicked(event.currentTarget.value)}
            data={stock.data.items.map((level) => level.location)}
          />
        )
      }
    >
      {location === undefined || forecast.isPending ? (
        <Loader size="sm" aria-label="Loading the forecast" />
      ) : noHistory ? (
        <Text c="gray.7">No demand recorded at {location} yet: nothing to forecast from.</Text>
      ) : forecast.isError ? (
        <Text c="red.9" role="alert">
          {errorMessage(forecast.error)}
        </Text>
      ) : (
        <Stack gap="sm">
          <figure style={{ margin: 0 }} data-testid="forecast-chart">
            <Suspense fallback={<Loader size="sm" aria-label="Loading the chart" />}>
              <ForecastChart forecast={forecast.data} />
            </Suspense>
            <figcaption>
              <Text size="xs">
                Daily demand for the last {HISTORY_DAYS} days (bars), then the forecast (line)
                inside its 80% interval (band).
              </Text>
            </figcaption>
          </figure>
          <Summary forecast={forecast.data} />
          <Figures forecast={forecast.data} />
        </Stack>
      )}
    </Section>
  );
}
