import { LinkOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Typography } from 'antd';
import { api, unwrap } from '../../../api/client';
import type { Ticket } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { formatFull, formatWhen } from '../../../components/format';
import { StatusTag } from '../tags';

export interface SimilarQuery {
  communityId: string;
  categoryId: string;
  roomId?: string;
  publicAreaId?: string;
}

/** Open requests that may be the same incident (R11): same building or public area, same category. */
export function useSimilarTickets(query: SimilarQuery | null) {
  return useQuery({
    queryKey: ['tickets', 'similar', query],
    queryFn: () =>
      unwrap(api.GET('/api/v1/tickets/similar', { params: { query: query as SimilarQuery } })).then(
        (page) => page.items,
      ),
    enabled: query !== null,
    staleTime: 10_000,
  });
}

/** One line of a candidate: number, status, where, who, what, when. */
export function SimilarLine({ ticket, action }: { ticket: Ticket; action?: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <Flex
      gap={8}
      align="center"
      wrap={false}
      data-testid={`similar-${ticket.number}`}
      style={{ minWidth: 0 }}
    >
      <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
        {ticket.number}
      </Typography.Text>
      <StatusTag status={ticket.status} />
      <Flex vertical style={{ flex: 1, minWidth: 0 }}>
        <Typography.Text ellipsis={{ tooltip: ticket.content }}>{ticket.content}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
          {[ticket.roomLabel ?? ticket.publicAreaName, ticket.residentName ?? ticket.callerName]
            .filter(Boolean)
            .join(' · ')}
          <span title={formatFull(ticket.createdAt, t)}>
            {' · '}
            {formatWhen(ticket.createdAt, t)}
          </span>
        </Typography.Text>
      </Flex>
      {action}
    </Flex>
  );
}

/**
 * "可能是同一事件": before saving, the open requests nearby with the same category, each with a
 * one-click "关联到此工单". Once linked, the choice shows with a way to undo it.
 */
export function SimilarTickets({
  query,
  linked,
  onLink,
  disabled,
}: {
  query: SimilarQuery | null;
  linked: Ticket | null;
  onLink: (ticket: Ticket | null) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const { data } = useSimilarTickets(query);
  if (linked) {
    return (
      <Alert
        type="success"
        showIcon
        icon={<LinkOutlined />}
        data-testid="intake-linked"
        style={{ marginBottom: 16 }}
        title={t('tickets.intake.linkedTo', { number: linked.number })}
        description={t('tickets.intake.linkedHint')}
        action={
          <Button size="small" onClick={() => onLink(null)} disabled={disabled} data-testid="intake-unlink">
            {t('tickets.intake.unlink')}
          </Button>
        }
      />
    );
  }
  const items = data ?? [];
  if (items.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="intake-similar"
      style={{ marginBottom: 16 }}
      title={t('tickets.intake.similarTitle', { count: items.length })}
      description={
        <Flex vertical gap={6} style={{ marginTop: 4 }}>
          {items.slice(0, 5).map((ticket) => (
            <SimilarLine
              key={ticket.id}
              ticket={ticket}
              action={
                <Button
                  size="small"
                  icon={<LinkOutlined />}
                  onClick={() => onLink(ticket)}
                  disabled={disabled}
                  data-testid={`intake-link-${ticket.number}`}
                >
                  {t('tickets.intake.linkHere')}
                </Button>
              }
            />
          ))}
        </Flex>
      }
    />
  );
}
