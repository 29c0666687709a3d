import { Text } from '@mantine/core';
import { PageTitle } from '../../components/page-title';

export default function ReportsScreen() {
  return (
    <>
      <PageTitle>Reports</PageTitle>
      <Text>This screen is coming.</Text>
    </>
  );
}
