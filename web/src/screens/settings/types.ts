import type { components } from '../../../../clients/stockroom-api';

export type ApiKey = components['schemas']['ApiKey'];
export type Channel = components['schemas']['Channel'];
export type Location = components['schemas']['Location'];
export type Webhook = components['schemas']['Webhook'];
export type StaffUser = components['schemas']['StaffUser'];
export type StaffRole = StaffUser['role'];
