import { Text } from '@mantine/core';
import { PageTitle } from '../../components/page-title';

export default function MessagesScreen() {
  return (
    <>
      <PageTitle>Messages and alerts</PageTitle>
      <Text>This screen is coming.</Text>
    </>
  );
}
