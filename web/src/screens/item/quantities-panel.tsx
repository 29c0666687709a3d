import { Loader, Table, Text } from '@mantine/core';
import { ErrorPanel, formatDate, formatQuantity, QuantityBadge } from '../../components';
import { type Item, type SupplyLine, useStockLevels, useSupply } from './item-queries';
import { Section } from './section';

interface Incoming {
  quantity: number;
  next: string | null;
}

/** Supply lines are in promise order, so the first one seen per location is its next date. */
function incomingByLocation(lines: readonly SupplyLine[]): Map<string, Incoming> {
  const byLocation = new Map<string, Incoming>();
  for (const line of lines) {
    const seen = byLocation.get(line.location);
    byLocation.set(line.location, {
      quantity: (seen?.quantity ?? 0) + line.quantity,
      next: seen?.next ?? line.expectedDate,
    });
  }
  return byLocation;
}

/** The five quantities of the item at each location. */
export function QuantitiesPanel({ item }: { item: Item }) {
  const stock = useStockLevels(item.sku);
  const supply = useSupply(item.sku);
  const incoming = incomingByLocation(supply.data?.lines ?? []);
  return (
    <Section title="Quantities by location">
      {stock.isPending ? (
        <Loader size="sm" aria-label="Loading quantities" />
      ) : stock.isError ? (
        <ErrorPanel
          error={stock.error}
          title="Quantities could not be loaded"
          onRetry={() => stock.refetch()}
        />
      ) : stock.data.items.length === 0 ? (
        <Text c="gray.7">No location holds this item.</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover data-testid="quantities">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Location</Table.Th>
                <Table.Th scope="col" ta="right">
                  On hand
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Reserved
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Safety stock
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Available
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Incoming
                </Table.Th>
                <Table.Th scope="col">Next arrival</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {stock.data.items.map((level) => {
                const due = incoming.get(level.location);
                return (
                  <Table.Tr key={level.location} data-location={level.location}>
                    <Table.Th scope="row">{level.location}</Table.Th>
                    <Table.Td ta="right" data-quantity="onHand">
                      {formatQuantity(level.onHand)}
                    </Table.Td>
                    <Table.Td ta="right" data-quantity="reserved">
                      {formatQuantity(level.reserved)}
                    </Table.Td>
                    <Table.Td ta="right" data-quantity="safetyStock">
                      {formatQuantity(level.safetyStock)}
                    </Table.Td>
                    <Table.Td ta="right" data-quantity="available">
                      <QuantityBadge
                        value={level.available}
                        label="available"
                        low={item.lowStockThreshold}
                      />
                    </Table.Td>
                    <Table.Td ta="right" data-quantity="incoming">
                      {formatQuantity(due?.quantity ?? 0)}
                    </Table.Td>
                    <Table.Td>{formatDate(due?.next)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}
