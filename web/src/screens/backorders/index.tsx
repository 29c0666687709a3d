import { Alert, Card, Loader, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { ErrorPanel, PageTitle } from '../../components';
import { useWaiting } from './backorder-queries';
import { DecisionsTable } from './decisions-table';
import { Filters } from './filters';
import { QueueGroups } from './queue-groups';
import type { BackorderFilters } from './types';

function filtersFrom(params: URLSearchParams): BackorderFilters {
  const sku = params.get('sku') ?? undefined;
  const location = params.get('location') ?? undefined;
  return { ...(sku && { sku }), ...(location && { location }) };
}

interface Loadable {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

function Loading({
  query,
  what,
  children,
}: {
  query: Loadable;
  what: string;
  children: () => ReactNode;
}) {
  if (query.isPending) return <Loader size="sm" aria-label={`Loading ${what}`} />;
  if (query.isError)
    return (
      <ErrorPanel
        error={query.error}
        title={`${what} could not be loaded`}
        onRetry={() => query.refetch()}
      />
    );
  return <>{children()}</>;
}

/**
 * Backorders: lines with no date that need a decision (cancel or keep waiting), then the
 * whole queue by item × location. Order events refetch both (src/live/invalidation.ts).
 */
export default function BackordersScreen() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const unpromised = useWaiting('unpromised', filters);
  const queue = useWaiting('backordered', filters);
  const { hash } = useLocation();

  // Today links to #decisions; the section exists only once its data has loaded.
  useEffect(() => {
    if (hash === '#decisions' && !unpromised.isPending)
      document.getElementById('decisions')?.scrollIntoView();
  }, [hash, unpromised.isPending]);

  const setFilters = (next: BackorderFilters) =>
    setParams(new URLSearchParams(Object.entries(next).filter(([, v]) => v !== undefined)));

  return (
    <>
      <PageTitle>Backorders</PageTitle>
      <Filters value={filters} onChange={setFilters} />
      <Stack gap="lg">
        <Card withBorder component="section" aria-labelledby="decisions" padding="md">
          <Title order={2} size="h3" id="decisions" mb={4}>
            Lines with no date
          </Title>
          <Text size="sm" c="gray.7" mb="sm">
            No purchase order or transfer covers these units. Cancel the line, or keep it waiting
            for supply still to be ordered.
          </Text>
          <Loading query={unpromised} what="Lines with no date">
            {() => <DecisionsTable lines={unpromised.data?.lines ?? []} />}
          </Loading>
        </Card>
        <Card withBorder component="section" aria-labelledby="queue-title" padding="md">
          <Title order={2} size="h3" id="queue-title" mb="sm">
            Queue by item and location
          </Title>
          <Loading query={queue} what="The backorder queue">
            {() => (
              <>
                {queue.data?.truncated && (
                  <Alert color="yellow" mb="sm">
                    Only the first {queue.data.lines.length} lines are shown: filter by item or
                    location to see the rest.
                  </Alert>
                )}
                <QueueGroups lines={queue.data?.lines ?? []} />
              </>
            )}
          </Loading>
        </Card>
      </Stack>
    </>
  );
}
