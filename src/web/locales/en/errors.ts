import type { Messages } from '../zh-CN';

export const errors: Messages['errors'] = {
  network: 'Could not reach the server. Check the network and try again.',
  unknown: 'That did not work. Please try again shortly.',
  server: 'The server could not handle the request. Please try again shortly.',
  sessionExpired: 'Your session has expired. Please sign in again.',
  requestId: 'Request ID {id}',
};
