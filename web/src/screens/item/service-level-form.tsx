import { Button, Group, NumberInput, Text } from '@mantine/core';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApiMutation } from '../../api/query';
import { readableDescription } from './action-modal';
import type { Item } from './item-queries';
import { Section } from './section';

/** Percent in the form, a fraction in the API: 95 is 0.95. Empty: the ABC class default. */
function toPercent(level: number | null): string | number {
  return level === null ? '' : Math.round(level * 1000) / 10;
}

/** Admins set the item's target service level, which sizes its safety stock and reorder point. */
export function ServiceLevelForm({ item }: { item: Item }) {
  const [percent, setPercent] = useState<string | number>(toPercent(item.serviceLevel));
  const [problem, setProblem] = useState<string | undefined>();
  const save = useApiMutation({
    mutationFn: (serviceLevel: number | null) =>
      unwrap(
        api.PATCH('/v1/items/{sku}', {
          params: { path: { sku: item.sku } },
          body: { serviceLevel },
        }),
      ),
    invalidates: ['/v1/items/{sku}', '/v1/replenishment/reorder-points'],
    successMessage: (saved) =>
      saved.serviceLevel === null
        ? `${saved.sku} uses its class's default service level`
        : `${saved.sku} aims for a ${toPercent(saved.serviceLevel)}% service level`,
  });
  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (percent === '') {
      setProblem(undefined);
      save.mutate(null);
      return;
    }
    const value = Number(percent);
    if (!(value >= 50 && value < 100)) {
      setProblem('Enter a percentage from 50 to below 100, or leave it empty for the default');
      return;
    }
    setProblem(undefined);
    save.mutate(Math.round(value * 10) / 1000);
  }
  return (
    <Section title="Service level">
      <form onSubmit={submit} noValidate>
        <Group align="flex-end" wrap="wrap">
          <NumberInput
            hideControls
            label="Target service level (%)"
            {...readableDescription}
            description="The chance of not running out between deliveries; empty: the default for its ABC class"
            value={percent}
            onChange={setPercent}
            min={50}
            max={99.9}
            decimalScale={1}
            error={problem}
            w={320}
          />
          <Button type="submit" loading={save.isPending}>
            Save service level
          </Button>
        </Group>
        {save.isError && (
          <Text c="red.9" size="sm" role="alert" mt="xs">
            {errorMessage(save.error)}
          </Text>
        )}
      </form>
    </Section>
  );
}
