import { CloseOutlined, IdcardOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Flex, Skeleton, Tag, Typography, theme } from 'antd';
import { TICKET_STATUSES, type TicketStatus } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { formatFull, formatWhen } from '../../../components/format';
import { useResidentCard } from '../../residents/queries';
import { CareTags, KindTag, useNameWithSalutation } from '../../residents/tags';
import { StatusTag } from '../tags';

const SHOWN_TICKETS = 3;

/**
 * The caller's card inside the intake form (R27): the greeting in large type to say it at once,
 * the room, care marks, and what is already open for them — a repeat call is often about one.
 */
export function IntakeResidentCard({
  residentId,
  onClear,
  onOpenCard,
}: {
  residentId: string;
  onClear: () => void;
  onOpenCard: () => void;
}) {
  const { t, tOr } = useI18n();
  const { token } = theme.useToken();
  const nameOf = useNameWithSalutation();
  const { data: card, isLoading } = useResidentCard(residentId);

  return (
    <section
      data-testid="intake-card"
      aria-label={t('tickets.intake.cardLabel')}
      style={{
        border: `1px solid ${token.colorBorderSecondary}`,
        borderInlineStart: `3px solid ${token.colorPrimary}`,
        borderRadius: token.borderRadius,
        padding: '10px 14px',
        background: token.colorFillQuaternary,
      }}
    >
      {isLoading || !card ? (
        <Skeleton active title={{ width: 120 }} paragraph={{ rows: 2 }} />
      ) : (
        <Flex vertical gap={6}>
          <Flex justify="space-between" align="start" gap={8}>
            <Flex gap={12} align="baseline" wrap>
              <Typography.Text strong style={{ fontSize: 26, lineHeight: 1.2 }} data-testid="intake-greeting">
                {card.greeting}
              </Typography.Text>
              <Typography.Text>{nameOf(card.resident.name, card.resident.salutation)}</Typography.Text>
              <KindTag kind={card.resident.kind} />
              <Typography.Text type="secondary">{card.resident.phone}</Typography.Text>
            </Flex>
            <Flex gap={4}>
              <Button
                size="small"
                type="text"
                icon={<IdcardOutlined />}
                onClick={onOpenCard}
                title={t('tickets.detail.openCard')}
                aria-label={t('tickets.detail.openCard')}
              />
              <Button
                size="small"
                type="text"
                icon={<CloseOutlined />}
                onClick={onClear}
                title={t('tickets.intake.clearResident')}
                aria-label={t('tickets.intake.clearResident')}
                data-testid="intake-card-clear"
              />
            </Flex>
          </Flex>
          <Flex gap={8} wrap align="center">
            {card.rooms.map((room) => (
              <Tag key={room.roomId} style={{ marginInlineEnd: 0 }}>
                {room.roomLabel}
              </Tag>
            ))}
            <CareTags care={card.resident.care} />
            {card.recentComplaints.length > 0 ? (
              <Tag color="volcano" icon={<WarningOutlined />} style={{ marginInlineEnd: 0 }}>
                {t('tickets.intake.recentComplaints', { count: card.recentComplaints.length })}
              </Tag>
            ) : null}
          </Flex>
          {card.resident.notes ? (
            <Typography.Text type="secondary" ellipsis={{ tooltip: card.resident.notes }}>
              {t('residents.notes')}：{card.resident.notes}
            </Typography.Text>
          ) : null}
          <div data-testid="intake-open-tickets">
            <Typography.Text
              type={card.openTickets.length ? undefined : 'secondary'}
              strong={!!card.openTickets.length}
            >
              {card.openTickets.length
                ? t('residents.card.openTickets', { count: card.openTickets.length })
                : t('residents.card.noOpenTickets')}
            </Typography.Text>
            {card.openTickets.slice(0, SHOWN_TICKETS).map((ticket) => {
              const status = TICKET_STATUSES.find((code): code is TicketStatus => code === ticket.status);
              return (
                <Flex key={ticket.id} gap={8} align="center" style={{ marginTop: 2 }}>
                  <Typography.Text style={{ fontSize: 12 }}>{ticket.number}</Typography.Text>
                  {status ? (
                    <StatusTag status={status} />
                  ) : (
                    <Tag>{tOr(`tickets.status.${ticket.status}`, ticket.status)}</Tag>
                  )}
                  <Typography.Text ellipsis={{ tooltip: ticket.content }} style={{ flex: 1, minWidth: 0 }}>
                    {ticket.content}
                  </Typography.Text>
                  <Typography.Text
                    type="secondary"
                    title={formatFull(ticket.createdAt, t)}
                    style={{ fontSize: 12 }}
                  >
                    {formatWhen(ticket.createdAt, t)}
                  </Typography.Text>
                </Flex>
              );
            })}
          </div>
        </Flex>
      )}
    </section>
  );
}
