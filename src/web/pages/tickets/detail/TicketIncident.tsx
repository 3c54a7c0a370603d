import { DisconnectOutlined, LinkOutlined } from '@ant-design/icons';
import { App, Button, Flex, Modal, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { TicketDetail } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { EmptyState } from '../../../components/EmptyState';
import { SimilarLine, useSimilarTickets } from '../create/SimilarTickets';
import { useLinkTicket } from '../queries';
import { StatusTag } from '../tags';
import { DetailSection } from './Section';

/** Open requests this one could be linked to: same category and place, itself left out. */
function LinkModal({ ticket, onClose }: { ticket: TicketDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const link = useLinkTicket();
  const place = ticket.roomId
    ? { roomId: ticket.roomId }
    : ticket.publicAreaId
      ? { publicAreaId: ticket.publicAreaId }
      : null;
  const query =
    ticket.categoryId && place
      ? { communityId: ticket.communityId, categoryId: ticket.categoryId, excludeId: ticket.id, ...place }
      : null;
  const { data: candidates = [], isLoading } = useSimilarTickets(query);
  return (
    <Modal
      open
      title={t('tickets.incident.linkTitle')}
      footer={null}
      onCancel={onClose}
      data-testid="incident-link"
    >
      {!query ? (
        <EmptyState text={t('tickets.incident.needCategory')} />
      ) : candidates.length === 0 ? (
        <EmptyState text={isLoading ? t('common.loading') : t('tickets.incident.noCandidates')} />
      ) : (
        <Flex vertical gap={8}>
          {candidates.map((candidate) => (
            <SimilarLine
              key={candidate.id}
              ticket={candidate}
              action={
                <Button
                  size="small"
                  type="primary"
                  icon={<LinkOutlined />}
                  loading={link.isPending && link.variables?.parentId === candidate.id}
                  onClick={() =>
                    link.mutate(
                      { ticket, parentId: candidate.id },
                      {
                        onSuccess: () => {
                          void message.success(t('tickets.incident.linked', { number: candidate.number }));
                          onClose();
                        },
                      },
                    )
                  }
                  data-testid={`incident-link-${candidate.number}`}
                >
                  {t('tickets.intake.linkHere')}
                </Button>
              }
            />
          ))}
        </Flex>
      )}
    </Modal>
  );
}

/**
 * One incident, many reporters (R11): the request this one follows, or the ones that follow it,
 * and the desk's link / unlink. Only a request not yet dispatched can be linked.
 */
export function TicketIncident({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = useAccess();
  const link = useLinkTicket();
  const [linking, setLinking] = useState(false);
  const canLink =
    access.createTickets && !ticket.parent && ticket.children.length === 0 && ticket.status === 'received';
  if (!ticket.parent && ticket.children.length === 0 && !canLink) return null;

  return (
    <DetailSection
      title={t('tickets.incident.title')}
      testId="ticket-incident"
      extra={
        canLink ? (
          <Button
            size="small"
            icon={<LinkOutlined />}
            onClick={() => setLinking(true)}
            data-testid="incident-link-open"
          >
            {t('tickets.incident.link')}
          </Button>
        ) : null
      }
    >
      {ticket.parent ? (
        <Flex gap={8} align="center" wrap data-testid="incident-parent">
          <Typography.Text>{t('tickets.incident.follows')}</Typography.Text>
          <Link to={`/tickets/${ticket.parent.id}`}>{ticket.parent.number}</Link>
          <StatusTag status={ticket.parent.status} />
          {access.createTickets ? (
            <Popconfirm
              title={t('tickets.incident.unlinkConfirm', { number: ticket.parent.number })}
              okText={t('tickets.intake.unlink')}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                link
                  .mutateAsync({ ticket, parentId: null })
                  .then(() => void message.success(t('tickets.incident.unlinked')))
                  .catch(() => undefined)
              }
            >
              <Button size="small" type="link" icon={<DisconnectOutlined />} data-testid="incident-unlink">
                {t('tickets.intake.unlink')}
              </Button>
            </Popconfirm>
          ) : null}
        </Flex>
      ) : null}
      {ticket.children.length > 0 ? (
        <Flex vertical gap={4} data-testid="incident-children">
          <Typography.Text type="secondary">
            {t('tickets.incident.children', { count: ticket.children.length })}
          </Typography.Text>
          {ticket.children.map((child) => (
            <Flex key={child.id} gap={8} align="center">
              <Link to={`/tickets/${child.id}`}>{child.number}</Link>
              <StatusTag status={child.status} />
              <Typography.Text>{child.reporterName ?? '—'}</Typography.Text>
            </Flex>
          ))}
        </Flex>
      ) : null}
      {!ticket.parent && ticket.children.length === 0 ? (
        <Typography.Text type="secondary">{t('tickets.incident.none')}</Typography.Text>
      ) : null}
      {linking ? <LinkModal ticket={ticket} onClose={() => setLinking(false)} /> : null}
    </DetailSection>
  );
}
