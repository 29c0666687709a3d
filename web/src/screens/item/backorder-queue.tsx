import { Badge, Button, Group, Loader, Table, Text, VisuallyHidden } from '@mantine/core';
import { Fragment, useState } from 'react';
import { ErrorPanel, formatDate, formatDateTime, formatQuantity } from '../../components';
import { useWaitingLines } from './item-queries';
import { PromiseHistory } from './promise-history';
import { Section } from './section';

/**
 * Order lines waiting for the item, in queue order (first placed, first served), with the
 * date each was promised and, on demand, how that promise moved.
 */
export function BackorderQueue({ sku }: { sku: string }) {
  const waiting = useWaitingLines(sku);
  const [open, setOpen] = useState<string | undefined>();
  const lines = waiting.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Section title="Backorder queue">
      {waiting.isPending ? (
        <Loader size="sm" aria-label="Loading the backorder queue" />
      ) : waiting.isError ? (
        <ErrorPanel
          error={waiting.error}
          title="The backorder queue could not be loaded"
          onRetry={() => waiting.refetch()}
        />
      ) : lines.length === 0 ? (
        <Text c="gray.7">No order is waiting for this item.</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table data-testid="backorder-queue">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Place</Table.Th>
                  <Table.Th scope="col">Order</Table.Th>
                  <Table.Th scope="col">Channel</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Waiting
                  </Table.Th>
                  <Table.Th scope="col">Promised for</Table.Th>
                  <Table.Th scope="col">Ordered</Table.Th>
                  <Table.Th scope="col">Promise history</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lines.map((line, index) => {
                  const key = `${line.orderId}/${line.line}`;
                  const expanded = open === key;
                  return (
                    <Fragment key={key}>
                      <Table.Tr>
                        <Table.Td>{index + 1}</Table.Td>
                        <Table.Th scope="row">
                          Order {line.orderId}, line {line.line}
                        </Table.Th>
                        <Table.Td>{line.channel}</Table.Td>
                        <Table.Td ta="right">{formatQuantity(line.backordered)}</Table.Td>
                        <Table.Td>
                          {line.unpromised > 0 ? (
                            <Badge color="red" variant="light">
                              {formatQuantity(line.unpromised)} unpromised
                            </Badge>
                          ) : (
                            formatDate(line.promisedDate)
                          )}
                        </Table.Td>
                        <Table.Td>{formatDateTime(line.orderedAt)}</Table.Td>
                        <Table.Td>
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-expanded={expanded}
                            aria-controls={`promises-${key}`}
                            onClick={() => setOpen(expanded ? undefined : key)}
                          >
                            {expanded ? 'Hide' : 'Show'}
                            <VisuallyHidden>
                              {` the promise history of order ${line.orderId}, line ${line.line}`}
                            </VisuallyHidden>
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                      {expanded && (
                        <Table.Tr id={`promises-${key}`}>
                          <Table.Td colSpan={7}>
                            <PromiseHistory orderId={line.orderId} line={line.line} />
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {waiting.hasNextPage && (
            <Group justify="center" mt="sm">
              <Button
                variant="light"
                onClick={() => waiting.fetchNextPage()}
                loading={waiting.isFetchingNextPage}
              >
                Show more waiting lines
              </Button>
            </Group>
          )}
        </>
      )}
    </Section>
  );
}
