import { TextInput } from '@mantine/core';
import type { RefObject } from 'react';
import { readableDescription } from './readable';

/** Name and contact, shared by the backorder and notify-me forms. */
export function CustomerFields({
  idPrefix,
  name,
  contact,
  errors,
  onName,
  onContact,
  nameRef,
  nameOptional = false,
}: {
  idPrefix: string;
  name: string;
  contact: string;
  errors: { name?: string; contact?: string };
  onName: (value: string) => void;
  onContact: (value: string) => void;
  nameRef?: RefObject<HTMLInputElement | null>;
  nameOptional?: boolean;
}) {
  return (
    <>
      <TextInput
        ref={nameRef}
        id={`${idPrefix}-name`}
        label={nameOptional ? 'Customer name (optional)' : 'Customer name'}
        value={name}
        onChange={(e) => onName(e.currentTarget.value)}
        error={errors.name}
        autoComplete="off"
        maxLength={200}
      />
      <TextInput
        id={`${idPrefix}-contact`}
        label="Email or mobile number"
        description="An email address gets an email; a phone number gets a text message"
        styles={readableDescription}
        value={contact}
        onChange={(e) => onContact(e.currentTarget.value)}
        error={errors.contact}
        autoComplete="off"
        spellCheck={false}
      />
    </>
  );
}
