import { Text } from '@mantine/core';
import { PageTitle } from '../../components/page-title';

export default function SellScreen() {
  return (
    <>
      <PageTitle>Sell</PageTitle>
      <Text>This screen is coming.</Text>
    </>
  );
}
