import { Anchor, Card, Group, Loader, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorPanel } from '../../components';

interface TodaySectionProps {
  id: string;
  title: string;
  /** The screen where all of it is acted on. */
  more: { label: string; to: string };
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  children: ReactNode;
}

/** One list on Today: an h2, a link to the screen that owns it, and its loading or error. */
export function TodaySection({ id, title, more, query, children }: TodaySectionProps) {
  return (
    <Card withBorder component="section" aria-labelledby={`${id}-title`} padding="md">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id={`${id}-title`}>
          {title}
        </Title>
        <Anchor component={Link} to={more.to} size="sm">
          {more.label}
        </Anchor>
      </Group>
      {query.isPending ? (
        <Loader size="sm" aria-label={`Loading ${title.toLowerCase()}`} />
      ) : query.isError ? (
        <ErrorPanel
          error={query.error}
          title={`${title} could not be loaded`}
          onRetry={() => query.refetch()}
        />
      ) : (
        children
      )}
    </Card>
  );
}
