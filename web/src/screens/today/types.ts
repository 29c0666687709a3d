import type { components, paths } from '../../../../clients/stockroom-api';

type Ok<Path extends keyof paths> = paths[Path] extends {
  get: { responses: { 200: { content: { 'application/json': infer Body } } } };
}
  ? Body
  : never;

export type Alert = components['schemas']['Alert'];
export type WaitingLine = Ok<'/v1/order-lines/waiting'>['items'][number];
export type PurchaseOrder = components['schemas']['PurchaseOrder'];
export type Message = components['schemas']['Message'];
