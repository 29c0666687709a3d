import { Text } from '@mantine/core';
import { PageTitle } from '../../components/page-title';

export default function BackordersScreen() {
  return (
    <>
      <PageTitle>Backorders</PageTitle>
      <Text>This screen is coming.</Text>
    </>
  );
}
