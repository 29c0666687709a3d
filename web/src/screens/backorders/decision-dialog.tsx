import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { formatQuantity } from '../../components';
import { orderLabel } from './group';
import type { WaitingLine } from './types';
import { useCancelLine, useKeepWaiting } from './use-decisions';

export type Decision = 'cancel' | 'keep';

interface DecisionDialogProps {
  line: WaitingLine;
  decision: Decision;
  onClose: () => void;
}

/**
 * Confirms a decision on a line with no date. Cancelling cannot be undone (and the API's
 * cancel is not idempotent), so the button stays busy until the answer arrives.
 */
export function DecisionDialog({ line, decision, onClose }: DecisionDialogProps) {
  const cancel = useCancelLine();
  const keep = useKeepWaiting();
  const mutation = decision === 'cancel' ? cancel : keep;
  const [text, setText] = useState('');
  const what = `line ${line.line} of order ${orderLabel(line)}`;
  const confirm = () => {
    const note = text.trim() === '' ? undefined : text.trim();
    const done = { onSuccess: onClose };
    if (decision === 'cancel') cancel.mutate({ line, reason: note }, done);
    else keep.mutate({ line, note }, done);
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={decision === 'cancel' ? `Cancel ${what}?` : `Keep ${what} waiting?`}
    >
      <Stack gap="sm">
        <Text size="sm">
          {formatQuantity(line.backordered)} × {line.sku} {line.name}
          {line.customer ? ` for ${line.customer.name}` : ''}; {formatQuantity(line.unpromised)} of
          them have no date because no supply covers them.
        </Text>
        <Text size="sm">
          {decision === 'cancel'
            ? 'Everything still open on the line is cancelled, and its reserved units go to the next in line. This cannot be undone.'
            : 'Nothing on the order changes. The line stays in the queue and gets a date as soon as supply covers it; it will not ask for a decision again unless it loses its date again.'}
        </Text>
        <TextInput
          label={decision === 'cancel' ? 'Reason (optional)' : 'Note (optional)'}
          placeholder={
            decision === 'cancel' ? 'Customer no longer wants it' : 'Customer agreed to wait'
          }
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          maxLength={500}
          data-autofocus
        />
        {mutation.isError && (
          <Alert color="red" role="alert" title="Not done">
            {errorMessage(mutation.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={mutation.isPending}>
            Go back
          </Button>
          <Button
            color={decision === 'cancel' ? 'red.8' : undefined}
            onClick={confirm}
            loading={mutation.isPending}
          >
            {decision === 'cancel' ? 'Cancel line' : 'Keep waiting'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
