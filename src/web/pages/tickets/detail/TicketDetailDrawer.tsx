import { IdcardOutlined } from '@ant-design/icons';
import {
  Button,
  Descriptions,
  type DescriptionsProps,
  Drawer,
  Empty,
  Flex,
  Result,
  Skeleton,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { ApiError } from '../../../api/errors';
import type { TicketDetail } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { formatFull, formatWhen, formatWindow } from '../../../components/format';
import { KnowledgeSearch } from '../../knowledge/KnowledgeSearch';
import { ResidentCardDrawer } from '../../residents/card/ResidentCardDrawer';
import { TicketSlaSection } from '../../sla/TicketSlaSection';
import { TicketVisitSection } from '../../visits/TicketVisitSection';
import { useCategoryNames } from '../categories';
import { useTicket } from '../queries';
import { PriorityTag, StatusTag, TypeTag } from '../tags';
import { EmergencyPanel } from './EmergencyPanel';
import { TicketActions } from './TicketActions';
import { TicketAttachments } from './TicketAttachments';
import { personLabel, TicketCompletion, TicketHeader } from './TicketHeader';
import { TicketIncident } from './TicketIncident';
import { TicketNotifications } from './TicketNotifications';

/**
 * What a request adds to the common fields: its category, a repair's scope, paid work and visit
 * window (R8, R10), the hotline's order number (R17), and who first heard a complaint (R15).
 */
function useExtraItems(ticket: TicketDetail | undefined): NonNullable<DescriptionsProps['items']> {
  const { t } = useI18n();
  const categories = useCategoryNames();
  const items: NonNullable<DescriptionsProps['items']> = [];
  if (!ticket) return items;
  if (ticket.categoryId)
    items.push({
      key: 'category',
      label: t('tickets.category'),
      children: categories.get(ticket.categoryId) ?? '—',
    });
  if (ticket.repairScope || ticket.paid)
    items.push({
      key: 'scope',
      label: t('tickets.intake.scope.label'),
      children: (
        <Flex gap={8} wrap>
          {ticket.repairScope ? <span>{t(`tickets.intake.scope.${ticket.repairScope}`)}</span> : null}
          <Tag color={ticket.paid ? 'gold' : undefined} style={{ marginInlineEnd: 0 }}>
            {ticket.paid ? t('tickets.intake.paidYes') : t('tickets.intake.paidNo')}
          </Tag>
          {ticket.paid && ticket.chargeSettledAt ? (
            <Typography.Text type="secondary">
              {t('tickets.detail.settled', { when: formatWhen(ticket.chargeSettledAt, t) })}
            </Typography.Text>
          ) : ticket.paid && ticket.chargeAmount !== null ? (
            <Typography.Text type="warning" data-testid="ticket-unsettled">
              {t('tickets.detail.unsettled', { amount: ticket.chargeAmount.toFixed(2) })}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    });
  if (ticket.appointment)
    items.push({
      key: 'appointment',
      label: t('tickets.intake.appointment'),
      children: (
        <span data-testid="ticket-appointment" title={formatFull(ticket.appointment.from, t)}>
          {formatWindow(ticket.appointment.from, ticket.appointment.to, t)}
        </span>
      ),
    });
  if (ticket.externalRef)
    items.push({
      key: 'externalRef',
      label: t('tickets.intake.externalRef'),
      children: <Typography.Text copyable>{ticket.externalRef}</Typography.Text>,
    });
  if (ticket.type === 'complaint')
    items.push({
      key: 'firstOwner',
      label: t('tickets.detail.firstOwner'),
      children: (
        <Flex gap={8} wrap data-testid="ticket-first-owner">
          <span>{ticket.firstOwner ? personLabel(ticket.firstOwner) : '—'}</span>
          <Typography.Text type={ticket.handedOverAt ? 'secondary' : 'warning'}>
            {ticket.handedOverAt
              ? t('tickets.detail.handedOver', { when: formatWhen(ticket.handedOverAt, t) })
              : t('tickets.detail.notHandedOver')}
          </Typography.Text>
        </Flex>
      ),
    });
  return items;
}

export function TicketDetailDrawer({
  ticketId,
  onClose,
}: {
  ticketId: string | undefined;
  onClose: () => void;
}) {
  const { t, tOr } = useI18n();
  const { data: ticket, isLoading, error } = useTicket(ticketId);
  const extraItems = useExtraItems(ticket);
  // The resident card opens over the ticket (a nested drawer), from the resident's name.
  const [cardResidentId, setCardResidentId] = useState<string | undefined>();

  let body: React.ReactNode;
  if (isLoading) body = <Skeleton active paragraph={{ rows: 8 }} />;
  else if (error instanceof ApiError && error.status === 404)
    body = <Result status="404" subTitle={t('tickets.detail.notFound')} />;
  else if (!ticket) body = null;
  else {
    const reporter = ticket.residentName ?? ticket.callerName;
    // A request of a linked incident says so at the top; the way to link one waits further down.
    const linked = !!ticket.parent || ticket.children.length > 0;
    const phone = ticket.callerPhone;
    body = (
      <Flex vertical gap={24}>
        <Flex vertical gap={12}>
          <TicketHeader ticket={ticket} />
          <TicketActions ticket={ticket} />
        </Flex>
        <TicketSlaSection ticketId={ticket.id} />
        {ticket.emergency ? <EmergencyPanel ticket={ticket} emergency={ticket.emergency} /> : null}
        {linked ? <TicketIncident ticket={ticket} /> : null}
        <Descriptions
          column={1}
          size="small"
          bordered
          items={[
            {
              key: 'status',
              label: t('tickets.status.label'),
              children: <StatusTag status={ticket.status} />,
            },
            {
              key: 'type',
              label: t('tickets.type.label'),
              children: (
                <Flex gap={8}>
                  <TypeTag type={ticket.type} />
                  <PriorityTag priority={ticket.priority} />
                </Flex>
              ),
            },
            {
              key: 'channel',
              label: t('tickets.channel.label'),
              children: t(`tickets.channel.${ticket.channel}`),
            },
            { key: 'community', label: t('tickets.community'), children: ticket.communityName },
            {
              key: 'location',
              label: t('tickets.location'),
              children: ticket.roomLabel ?? ticket.publicAreaName ?? '—',
            },
            {
              key: 'reporter',
              label: t('tickets.reporter'),
              children: ticket.residentId ? (
                <Flex gap={8} align="center" wrap>
                  <Button
                    type="link"
                    icon={<IdcardOutlined />}
                    style={{ padding: 0, height: 'auto' }}
                    title={t('tickets.detail.openCard')}
                    onClick={() => setCardResidentId(ticket.residentId ?? undefined)}
                    data-testid="ticket-resident-link"
                  >
                    {reporter}
                  </Button>
                  {phone ? <Typography.Text type="secondary">{phone}</Typography.Text> : null}
                </Flex>
              ) : reporter ? (
                `${reporter}${phone ? `  ${phone}` : ''}`
              ) : (
                '—'
              ),
            },
            {
              key: 'content',
              label: t('tickets.content'),
              children: (
                <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                  {ticket.content}
                </Typography.Paragraph>
              ),
            },
            ...extraItems,
            { key: 'createdAt', label: t('tickets.createdAt'), children: formatFull(ticket.createdAt, t) },
            {
              key: 'createdBy',
              label: t('tickets.createdBy'),
              children: ticket.createdBy ? `${ticket.createdBy.name}（${ticket.createdBy.employeeNo}）` : '—',
            },
          ]}
        />
        {linked ? null : <TicketIncident ticket={ticket} />}
        <TicketCompletion ticket={ticket} />
        <TicketAttachments ticketId={ticket.id} />
        <TicketNotifications ticketId={ticket.id} />
        <TicketVisitSection ticketId={ticket.id} />
        <div data-testid="ticket-timeline">
          <Typography.Title level={5}>{t('tickets.detail.timeline')}</Typography.Title>
          {ticket.events.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.detail.noEvents')} />
          ) : (
            <Timeline
              items={ticket.events.map((event) => ({
                key: event.id,
                content: (
                  <Flex vertical gap={2} data-testid={`ticket-event-${event.type}`}>
                    <Typography.Text>
                      <Typography.Text strong>
                        {tOr(`tickets.event.${event.type}`, event.type)}
                      </Typography.Text>
                      <Typography.Text
                        type="secondary"
                        title={formatFull(event.at, t)}
                        style={{ marginInlineStart: 12 }}
                      >
                        {formatWhen(event.at, t)}
                      </Typography.Text>
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {event.actor
                        ? `${event.actor.name}（${event.actor.employeeNo}）`
                        : t('tickets.detail.system')}
                    </Typography.Text>
                    {event.note ? <Typography.Text>{event.note}</Typography.Text> : null}
                  </Flex>
                ),
              }))}
            />
          )}
        </div>
      </Flex>
    );
  }

  return (
    <Drawer
      open={!!ticketId}
      onClose={onClose}
      size={640}
      title={ticket ? t('tickets.detail.title', { number: ticket.number }) : t('tickets.title')}
      extra={<KnowledgeSearch size="small" communityId={ticket?.communityId} />}
      destroyOnHidden
    >
      {body}
      <ResidentCardDrawer
        residentId={cardResidentId}
        onClose={() => setCardResidentId(undefined)}
        onOpenResident={setCardResidentId}
      />
    </Drawer>
  );
}
