import { Text } from '@mantine/core';
import { PageTitle } from '../../components/page-title';

export default function StockScreen() {
  return (
    <>
      <PageTitle>Stock</PageTitle>
      <Text>This screen is coming.</Text>
    </>
  );
}
