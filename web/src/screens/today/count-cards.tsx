import { Card, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';

export interface CountCard {
  id: string;
  label: string;
  count: string;
  /** What the count means, in a few words ("lines without a date"). */
  hint: string;
  to: string;
  /** Draws the eye when something needs doing. */
  urgent: boolean;
}

/** The counts at the top of Today, each a link to the screen that acts on it. */
export function CountCards({ cards }: { cards: CountCard[] }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm" mb="lg" component="ul" p={0}>
      {cards.map((card) => (
        <li key={card.id} style={{ listStyle: 'none' }}>
          <UnstyledButton
            component={Link}
            to={card.to}
            w="100%"
            h="100%"
            aria-label={`${card.label}: ${card.count} ${card.hint}`}
            data-testid={`count-${card.id}`}
            data-count={card.count}
          >
            <Card
              withBorder
              padding="md"
              h="100%"
              style={card.urgent ? { borderColor: 'var(--mantine-color-orange-7)' } : undefined}
            >
              <Text size="sm" fw={600}>
                {card.label}
              </Text>
              <Text fz={32} fw={700} lh={1.2} c={card.urgent ? 'orange.9' : undefined}>
                {card.count}
              </Text>
              <Text size="xs" c="gray.7">
                {card.hint}
              </Text>
            </Card>
          </UnstyledButton>
        </li>
      ))}
    </SimpleGrid>
  );
}
