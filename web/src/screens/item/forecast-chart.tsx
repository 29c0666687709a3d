import '@mantine/charts/styles.css';
import { CompositeChart } from '@mantine/charts';
import type { Forecast } from './item-queries';

interface Point {
  date: string;
  demand?: number;
  forecast?: number;
  interval?: [number, number];
}

/** History and forecast on one date axis: the forecast picks up where the demand stops. */
function points(forecast: Forecast): Point[] {
  return [
    ...forecast.history.map((day) => ({ date: day.date.slice(5), demand: day.quantity })),
    ...forecast.days.map((day) => ({
      date: day.date.slice(5),
      forecast: day.forecast,
      interval: [day.lower, day.upper] as [number, number],
    })),
  ];
}

/**
 * Loaded on its own (React.lazy in forecast-panel.tsx): recharts is large and only this
 * chart needs it, so it stays out of the bundle every screen loads.
 */
export default function ForecastChart({ forecast }: { forecast: Forecast }) {
  return (
    <CompositeChart
      h={280}
      data={points(forecast)}
      dataKey="date"
      withLegend
      withDots={false}
      curveType="linear"
      maxBarWidth={8}
      referenceLines={[
        { x: forecast.historyThrough.slice(5), label: 'Forecast starts', color: 'gray.7' },
      ]}
      series={[
        { name: 'demand', label: 'Demand', type: 'bar', color: 'gray.5' },
        { name: 'interval', label: '80% interval', type: 'area', color: 'indigo.2' },
        { name: 'forecast', label: 'Forecast', type: 'line', color: 'indigo.7' },
      ]}
    />
  );
}
