import { Button, Center, Stack } from '@mantine/core';
import { Link, useRouteError } from 'react-router';
import { ErrorPanel } from '../components/error-panel';
import { PageTitle } from '../components/page-title';

/** A route that failed to load (a chunk missing after a deploy) or threw while rendering. */
export function RouteError() {
  const error = useRouteError();
  return (
    <Center py="xl" component="main" id="main">
      <Stack maw={560}>
        <PageTitle>This page failed</PageTitle>
        <ErrorPanel error={error} onRetry={() => window.location.reload()} />
        <Button component={Link} to="/" variant="light">
          Go to Today
        </Button>
      </Stack>
    </Center>
  );
}
