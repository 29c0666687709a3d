import type { components, paths } from '../../../../clients/stockroom-api';

export type Message = components['schemas']['Message'];
export type MessageDetail =
  paths['/v1/messages/{id}']['get']['responses'][200]['content']['application/json'];
export type Alert = components['schemas']['Alert'];
export type MessageTemplate = components['schemas']['MessageTemplate'];
export type MessageState = Message['state'];
export type AlertKind = Alert['kind'];
