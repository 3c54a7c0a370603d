import { IdcardOutlined } from '@ant-design/icons';
import { Button, Descriptions, Drawer, Empty, Flex, Result, Skeleton, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../../api/errors';
import { useI18n } from '../../../app/i18n';
import { formatFull, formatWhen } from '../../../components/format';
import { ResidentCardDrawer } from '../../residents/card/ResidentCardDrawer';
import { useTicket } from '../queries';
import { PriorityTag, StatusTag, TypeTag } from '../tags';
import { TicketActions } from './TicketActions';
import { TicketCompletion, TicketHeader } from './TicketHeader';

export function TicketDetailDrawer({
  ticketId,
  onClose,
}: {
  ticketId: string | undefined;
  onClose: () => void;
}) {
  const { t, tOr } = useI18n();
  const { data: ticket, isLoading, error } = useTicket(ticketId);
  // The resident card opens over the ticket (a nested drawer), from the resident's name.
  const [cardResidentId, setCardResidentId] = useState<string | undefined>();

  let body: React.ReactNode;
  if (isLoading) body = <Skeleton active paragraph={{ rows: 8 }} />;
  else if (error instanceof ApiError && error.status === 404)
    body = <Result status="404" subTitle={t('tickets.detail.notFound')} />;
  else if (!ticket) body = null;
  else {
    const reporter = ticket.residentName ?? ticket.callerName;
    const phone = ticket.callerPhone;
    body = (
      <Flex vertical gap={24}>
        <Flex vertical gap={12}>
          <TicketHeader ticket={ticket} />
          <TicketActions ticket={ticket} />
        </Flex>
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
            { key: 'createdAt', label: t('tickets.createdAt'), children: formatFull(ticket.createdAt, t) },
            {
              key: 'createdBy',
              label: t('tickets.createdBy'),
              children: ticket.createdBy ? `${ticket.createdBy.name}（${ticket.createdBy.employeeNo}）` : '—',
            },
          ]}
        />
        <TicketCompletion ticket={ticket} />
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
      size={560}
      title={ticket ? t('tickets.detail.title', { number: ticket.number }) : t('tickets.title')}
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
