import { Text } from '@mantine/core';
import { PageTitle } from '../../components/page-title';

export default function TodayScreen() {
  return (
    <>
      <PageTitle>Today</PageTitle>
      <Text>This screen is coming.</Text>
    </>
  );
}
