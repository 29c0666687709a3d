import { Badge, Box, Group, Loader, Stack, Text } from '@mantine/core';
import { ErrorPanel, formatDate, formatQuantity } from '../../components';
import { type SupplyLine, useSupply } from './item-queries';
import { Section } from './section';

const DAY_MS = 86_400_000;

function daysFromToday(date: string): number {
  const today = new Date().toISOString().slice(0, 10);
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

function when(date: string): string {
  const days = daysFromToday(date);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  return days < 0 ? `${-days} days overdue` : `in ${days} days`;
}

function source(line: SupplyLine): string {
  return line.source.kind === 'purchase_order'
    ? `Purchase order ${line.source.purchaseOrderId} from ${line.source.supplier}`
    : `Transfer ${line.source.transferId} from ${line.source.from}`;
}

/**
 * Incoming supply as a dated list, in promise order; each bar's length is the line's
 * quantity against the largest, so the big deliveries stand out. The bars are decoration:
 * the text says everything they show.
 */
export function SupplyTimeline({ sku }: { sku: string }) {
  const supply = useSupply(sku);
  const largest = Math.max(1, ...(supply.data?.lines.map((line) => line.quantity) ?? []));
  return (
    <Section title="Incoming supply">
      {supply.isPending ? (
        <Loader size="sm" aria-label="Loading incoming supply" />
      ) : supply.isError ? (
        <ErrorPanel
          error={supply.error}
          title="Incoming supply could not be loaded"
          onRetry={() => supply.refetch()}
        />
      ) : supply.data.lines.length === 0 ? (
        <Text c="gray.7">Nothing is on order or in transit.</Text>
      ) : (
        <Stack gap="xs">
          <Text size="sm">
            {formatQuantity(supply.data.total)} units due, the first on{' '}
            {formatDate(supply.data.nextExpectedDate)}.
          </Text>
          <Stack
            component="ol"
            gap="sm"
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
            data-testid="supply"
          >
            {supply.data.lines.map((line) => {
              const key =
                line.source.kind === 'purchase_order'
                  ? `po-${line.source.lineId}`
                  : `tr-${line.source.transferId}`;
              return (
                <Box component="li" key={key}>
                  <Group gap="xs" wrap="wrap">
                    <Text fw={600} size="sm">
                      {formatDate(line.expectedDate)}
                    </Text>
                    <Text size="sm">({when(line.expectedDate)})</Text>
                    <Text size="sm">
                      {formatQuantity(line.quantity)} to {line.location}
                    </Text>
                    <Badge
                      variant="light"
                      color={line.confidence === 'confirmed' ? 'green' : 'gray'}
                    >
                      {line.confidence}
                    </Badge>
                    <Text size="sm">{source(line)}</Text>
                  </Group>
                  <Box
                    aria-hidden
                    mt={4}
                    h={8}
                    bg={line.source.kind === 'purchase_order' ? 'indigo.6' : 'teal.6'}
                    style={{
                      width: `${Math.max(4, (100 * line.quantity) / largest)}%`,
                      borderRadius: 4,
                    }}
                  />
                </Box>
              );
            })}
          </Stack>
        </Stack>
      )}
    </Section>
  );
}
