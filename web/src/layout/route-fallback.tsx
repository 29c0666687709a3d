import { Center, Loader } from '@mantine/core';

export function RouteFallback() {
  return (
    <Center py="xl">
      <Loader aria-label="Loading screen" />
    </Center>
  );
}
