import { Text } from '@mantine/core';
import { PageTitle } from '../../components/page-title';

export default function SettingsScreen() {
  return (
    <>
      <PageTitle>Settings</PageTitle>
      <Text>This screen is coming.</Text>
    </>
  );
}
