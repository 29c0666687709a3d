import { Text } from '@mantine/core';

export function UsersSection() {
  return <Text>Users arrive with staff sign-in.</Text>;
}
