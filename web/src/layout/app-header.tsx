import { Button, Group, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth/auth-context';
import { LiveIndicator } from '../live/live-indicator';

/** Shop name, connection state, who is signed in, and Sign out. */
export function AppHeader() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  return (
    <Group justify="space-between" w="100%" wrap="nowrap">
      {/* Not a heading: each screen's h1 comes first in the outline. */}
      <Text fw={700} size="lg">
        Stockroom
      </Text>
      <Group gap="sm" wrap="nowrap">
        <LiveIndicator />
        {user && (
          <Text size="sm" visibleFrom="xs" title={user.email} data-testid="signed-in-user">
            {user.name} ({user.role})
          </Text>
        )}
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={async () => {
            await signOut();
            navigate('/sign-in', { replace: true });
          }}
        >
          Sign out
        </Button>
      </Group>
    </Group>
  );
}
