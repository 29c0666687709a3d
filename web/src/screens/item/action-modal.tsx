import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { errorMessage } from '../../api/errors';
import type { ApiPath } from '../../api/query';

/** What an action on the item may change: every part of the screen that shows stock. */
export const ITEM_ACTION_INVALIDATES: ApiPath[] = [
  '/v1/items/{sku}',
  '/v1/stock',
  '/v1/stock/ledger',
  '/v1/availability/{sku}',
  '/v1/supply',
  '/v1/order-lines/waiting',
  '/v1/orders/{id}/promise-changes',
  '/v1/items/{sku}/alternatives',
  '/v1/subscriptions',
];

interface ActionModalProps {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  pending: boolean;
  /** The API's refusal, shown in the form so the user can correct and resend. */
  error: unknown;
  children: ReactNode;
}

/**
 * A modal form for one stock action: fields, the API's error if it refused, submit. The
 * screen mounts it only while open, so every opening starts from a fresh form.
 */
export function ActionModal({
  title,
  onClose,
  onSubmit,
  submitLabel,
  pending,
  error,
  children,
}: ActionModalProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={title}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {children}
          {error != null && (
            <Alert color="red" title="Not done" role="alert" data-testid="action-error">
              {errorMessage(error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} type="button">
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A whole number from a form field, or undefined when it is empty or not one. */
export function wholeNumber(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isInteger(parsed) ? parsed : undefined;
}

/**
 * Props every field with a description takes: Mantine's dimmed grey is 3.3:1 on white,
 * under the 4.5:1 small text needs (axe color-contrast), so descriptions use a darker one.
 */
export const readableDescription = { descriptionProps: { c: 'gray.7' } } as const;
