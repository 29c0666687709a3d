import { Group, Loader, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyState } from '../../components/empty-state';
import { ErrorPanel } from '../../components/error-panel';
import { ReportFigure } from './report-figure';
import { type ReportColumn, ReportTable } from './report-table';

export interface ChartView {
  /** One or two sentences a person would say looking at the chart. */
  caption: string;
  chart: ReactNode;
}

/** What the panel reads of a query (a TanStack query result has it all). */
export interface ReportQuery<Body> {
  data: Body | undefined;
  error: unknown;
  isError: boolean;
  isFetching: boolean;
  refetch: () => unknown;
}

interface ReportPanelProps<Body extends { rows: Row[] }, Row> {
  title: string;
  description: ReactNode;
  controls: ReactNode;
  query: ReportQuery<Body>;
  /** The chart for a non-empty answer. */
  chart: (body: Body) => ChartView;
  columns: ReportColumn<Row>[];
  rowKey: (row: Row) => string;
  /** Totals or parameters the API applied, shown above the chart. */
  summary?: (body: Body) => ReactNode;
  empty: string;
  /** What to try when nothing came back. */
  emptyHint?: string;
}

/** One report: its heading, filters, then chart and table for the answer (or why there is none). */
export function ReportPanel<Body extends { rows: Row[] }, Row>(props: ReportPanelProps<Body, Row>) {
  const { title, query } = props;
  return (
    <Stack gap="sm">
      <Title order={2}>{title}</Title>
      <Text size="sm" c="gray.7">
        {props.description}
      </Text>
      {props.controls}
      {query.isError ? (
        <ErrorPanel
          error={query.error}
          title={`${title} could not be loaded`}
          onRetry={() => void query.refetch()}
        />
      ) : query.data === undefined ? (
        <Group role="status" gap="xs">
          <Loader size="sm" />
          <Text size="sm">Loading {title.toLowerCase()}…</Text>
        </Group>
      ) : (
        <ReportBody {...props} body={query.data} />
      )}
    </Stack>
  );
}

function ReportBody<Body extends { rows: Row[] }, Row>({
  title,
  body,
  chart,
  columns,
  rowKey,
  summary,
  empty,
  emptyHint = 'Try a longer period or another location.',
  query,
}: ReportPanelProps<Body, Row> & { body: Body }) {
  if (body.rows.length === 0) return <EmptyState title={empty}>{emptyHint}</EmptyState>;
  const view = chart(body);
  return (
    // Dimmed while a new period loads, so the old figures are not mistaken for the new.
    <Stack gap="sm" aria-busy={query.isFetching} style={{ opacity: query.isFetching ? 0.6 : 1 }}>
      {summary?.(body)}
      <ReportFigure caption={view.caption}>{view.chart}</ReportFigure>
      <ReportTable
        caption={`${title}: ${body.rows.length} ${body.rows.length === 1 ? 'row' : 'rows'}`}
        columns={columns}
        rows={body.rows}
        rowKey={rowKey}
      />
    </Stack>
  );
}
