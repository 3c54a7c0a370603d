import { type ComponentProps, lazy, Suspense, useState } from 'react';
import type { TicketCreateDrawer as CreateDrawer } from './create/TicketCreateDrawer';
import type { TicketDetailDrawer as DetailDrawer } from './detail/TicketDetailDrawer';

/*
 * The intake form (受理) and a ticket's drawer are each a chunk of their own (issue 9: the console's
 * first load ≤ 350 KB gzip of JS): the queue shows without them, they come in while the browser is
 * idle (router.tsx prefetches them for the desk) or, at the latest, when first opened.
 */
const loadCreate = () => import('./create/TicketCreateDrawer');
const loadDetail = () => import('./detail/TicketDetailDrawer');

export function preloadTicketDrawers(): Promise<unknown> {
  return Promise.all([loadCreate(), loadDetail()]);
}

const LazyCreate = lazy(() => loadCreate().then((m) => ({ default: m.TicketCreateDrawer })));
const LazyDetail = lazy(() => loadDetail().then((m) => ({ default: m.TicketDetailDrawer })));

/** The intake drawer, loaded when first opened; kept mounted after, so that it slides out. */
export function TicketCreateDrawer(props: ComponentProps<typeof CreateDrawer>) {
  const [used, setUsed] = useState(props.open);
  if (props.open && !used) setUsed(true);
  if (!used && !props.open) return null;
  return (
    <Suspense fallback={null}>
      <LazyCreate {...props} />
    </Suspense>
  );
}

/** A ticket's drawer, loaded when a ticket is first opened; kept mounted after, so that it slides out. */
export function TicketDetailDrawer(props: ComponentProps<typeof DetailDrawer>) {
  const opened = props.ticketId !== undefined;
  const [used, setUsed] = useState(opened);
  if (opened && !used) setUsed(true);
  if (!used && !opened) return null;
  return (
    <Suspense fallback={null}>
      <LazyDetail {...props} />
    </Suspense>
  );
}
