/**
 * The console's shell and the desk's landing page (homePath: the queue, with 受理), loaded as one
 * chunk by the router after sign-in, or while the login page is idle.
 */
export { TicketListPage } from '../pages/tickets/list/TicketListPage';
export { AppLayout } from './layout/AppLayout';
