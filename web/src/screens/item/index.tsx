import { Text } from '@mantine/core';
import { PageTitle } from '../../components/page-title';

export default function ItemScreen() {
  return (
    <>
      <PageTitle>Item</PageTitle>
      <Text>This screen is coming.</Text>
    </>
  );
}
