import { Text } from '@mantine/core';
import { PageTitle } from '../../components/page-title';

export default function PurchasingScreen() {
  return (
    <>
      <PageTitle>Purchasing</PageTitle>
      <Text>This screen is coming.</Text>
    </>
  );
}
