import { Anchor, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { PageTitle } from '../components/page-title';

/** A path no screen answers, shown inside the layout so the navigation stays at hand. */
export function NotFound() {
  const { pathname } = useLocation();
  return (
    <>
      <PageTitle>Page not found</PageTitle>
      <Text>
        Nothing lives at <code>{pathname}</code>.{' '}
        <Anchor component={Link} to="/">
          Go to Today
        </Anchor>
      </Text>
    </>
  );
}
