import {
  EditOutlined,
  EyeOutlined,
  HomeOutlined,
  InboxOutlined,
  LogoutOutlined,
  PhoneOutlined,
  PlusOutlined,
  RollbackOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Flex,
  Popconfirm,
  Result,
  Skeleton,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../../api/errors';
import {
  type CardRoom,
  type CardTicket,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketStatus,
  type TicketType,
} from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { formatFull, formatWhen } from '../../../components/format';
import { StatusTag, TypeTag } from '../../tickets/tags';
import { useArchiveResident, useResidentCard, useRevealPhones } from '../queries';
import { ArchivedTag, CareTags, KindTag, useNameWithSalutation } from '../tags';
import { ResidentEditModal } from './ResidentEditModal';
import { AddRoomModal, MoveOutModal } from './RoomModals';

function Section({
  title,
  extra,
  children,
  testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section data-testid={testId}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </Flex>
      {children}
    </section>
  );
}

/** Card tickets carry plain codes: show known ones with their colours, others as text. */
function TicketLine({ ticket, onOpen }: { ticket: CardTicket; onOpen: () => void }) {
  const { t, tOr } = useI18n();
  const status = TICKET_STATUSES.find((code): code is TicketStatus => code === ticket.status);
  const type = TICKET_TYPES.find((code): code is TicketType => code === ticket.type);
  return (
    <Flex vertical gap={2} style={{ padding: '8px 0', borderBottom: '1px solid rgba(5, 5, 5, 0.06)' }}>
      <Flex gap={8} align="center" wrap>
        <Link to={`/tickets/${ticket.id}`} onClick={onOpen} data-testid={`card-ticket-${ticket.number}`}>
          {ticket.number}
        </Link>
        {type ? <TypeTag type={type} /> : <Tag>{ticket.type}</Tag>}
        {status ? (
          <StatusTag status={status} />
        ) : (
          <Tag>{tOr(`tickets.status.${ticket.status}`, ticket.status)}</Tag>
        )}
        <Typography.Text type="secondary" title={formatFull(ticket.createdAt, t)} style={{ fontSize: 12 }}>
          {formatWhen(ticket.createdAt, t)}
        </Typography.Text>
      </Flex>
      <Typography.Text ellipsis={{ tooltip: ticket.content }}>{ticket.content}</Typography.Text>
    </Flex>
  );
}

function RoomCard({
  room,
  canEdit,
  onMoveOut,
  onOpenResident,
}: {
  room: CardRoom;
  canEdit: boolean;
  onMoveOut: () => void;
  onOpenResident: (id: string) => void;
}) {
  const { t } = useI18n();
  const nameOf = useNameWithSalutation();
  return (
    <Card
      size="small"
      data-testid="card-room"
      title={
        <Flex gap={8} align="center" wrap>
          <HomeOutlined aria-hidden />
          <span>{room.roomLabel}</span>
          <KindTag kind={room.kind} />
        </Flex>
      }
      extra={
        canEdit ? (
          <Button size="small" type="link" icon={<LogoutOutlined />} onClick={onMoveOut}>
            {t('residents.card.moveOut')}
          </Button>
        ) : null
      }
    >
      {room.moveInDate ? (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('residents.card.movedInOn', { date: dayjs(room.moveInDate).format(t('time.dateFormat')) })}
        </Typography.Paragraph>
      ) : null}
      {room.members.length === 0 ? (
        <Typography.Text type="secondary">{t('residents.card.livesAlone')}</Typography.Text>
      ) : (
        <Flex vertical gap={4}>
          <Typography.Text type="secondary">{t('residents.card.household')}</Typography.Text>
          <Flex wrap gap={8}>
            {room.members.map((member) => (
              <Button
                key={member.residentId}
                size="small"
                onClick={() => onOpenResident(member.residentId)}
                title={t('residents.card.openMember')}
              >
                {nameOf(member.name, member.salutation)}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`residents.kind.${member.kind}`)}
                </Typography.Text>
              </Button>
            ))}
          </Flex>
        </Flex>
      )}
    </Card>
  );
}

/**
 * The resident card (UX.md, the desk's right panel): the greeting in large type, care marks, phones
 * (masked; revealed on request and audited), rooms and household, notes, open requests, recent
 * complaints, satisfaction — and the edits the desk makes from there.
 */
export function ResidentCardDrawer({
  residentId,
  onClose,
  onOpenResident,
}: {
  residentId: string | undefined;
  onClose: () => void;
  /** Another resident of the household was chosen. */
  onOpenResident: (id: string) => void;
}) {
  const { t } = useI18n();
  const access = useAccess();
  const { message } = App.useApp();
  const nameOf = useNameWithSalutation();
  const { data: card, isLoading, error } = useResidentCard(residentId);
  const reveal = useRevealPhones();
  const archive = useArchiveResident();
  const [revealed, setRevealed] = useState<{ id: string; phones: string[] } | null>(null);
  const [editing, setEditing] = useState(false);
  const [addingRoom, setAddingRoom] = useState(false);
  const [movingOut, setMovingOut] = useState<CardRoom | null>(null);

  const fullPhones = revealed && revealed.id === residentId ? revealed.phones : null;
  const doReveal = () => {
    if (!residentId) return;
    reveal.mutate(residentId, {
      onSuccess: ({ phones }) => setRevealed({ id: residentId, phones }),
    });
  };

  let body: ReactNode;
  if (isLoading) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else if (error instanceof ApiError && error.status === 404)
    body = <Result status="404" subTitle={t('residents.card.notFound')} />;
  else if (!card) body = null;
  else {
    const { resident } = card;
    body = (
      <Flex vertical gap={20}>
        <header>
          <Typography.Text
            data-testid="card-greeting"
            strong
            style={{ fontSize: 34, lineHeight: 1.25, display: 'block' }}
          >
            {card.greeting}
          </Typography.Text>
          <Flex gap={8} align="center" wrap style={{ marginTop: 4 }}>
            <Typography.Text style={{ fontSize: 16 }} data-testid="card-name">
              {nameOf(resident.name, resident.salutation)}
            </Typography.Text>
            <KindTag kind={resident.kind} />
            {resident.archived ? <ArchivedTag /> : null}
          </Flex>
          {resident.care.length > 0 ? (
            <div style={{ marginTop: 8 }}>
              <CareTags care={resident.care} />
            </div>
          ) : null}
        </header>

        {resident.archived ? (
          <Alert
            type="info"
            showIcon
            title={t('residents.card.archivedHint', {
              date: resident.archivedAt ? formatFull(resident.archivedAt, t) : '',
            })}
          />
        ) : null}

        <Section
          title={t('residents.phones')}
          testId="card-phones"
          extra={
            access.revealPhones && !fullPhones ? (
              <Tooltip title={t('residents.card.revealHint')}>
                <Button
                  size="small"
                  icon={<EyeOutlined />}
                  loading={reveal.isPending}
                  onClick={doReveal}
                  data-testid="card-reveal"
                >
                  {t('residents.card.reveal')}
                </Button>
              </Tooltip>
            ) : null
          }
        >
          <Flex vertical gap={4}>
            {(fullPhones ?? resident.phones).map((phone) => (
              <Flex key={phone} gap={8} align="center">
                <PhoneOutlined aria-hidden />
                {fullPhones ? (
                  <Typography.Text copyable strong style={{ fontSize: 16 }} data-testid="card-phone">
                    <a href={`tel:${phone}`}>{phone}</a>
                  </Typography.Text>
                ) : (
                  <Typography.Text style={{ fontSize: 16 }} data-testid="card-phone">
                    {phone}
                  </Typography.Text>
                )}
              </Flex>
            ))}
            {fullPhones ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('residents.card.revealedNote')}
              </Typography.Text>
            ) : null}
          </Flex>
        </Section>

        <Section
          title={t('residents.card.rooms')}
          extra={
            access.editResidents && !resident.archived ? (
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => setAddingRoom(true)}
                data-testid="card-add-room"
              >
                {t('residents.card.addRoom')}
              </Button>
            ) : null
          }
        >
          {card.rooms.length === 0 ? (
            <Typography.Text type="secondary">{t('residents.card.noRooms')}</Typography.Text>
          ) : (
            <Flex vertical gap={8}>
              {card.rooms.map((room) => (
                <RoomCard
                  key={room.roomId}
                  room={room}
                  canEdit={access.editResidents && !resident.archived}
                  onMoveOut={() => setMovingOut(room)}
                  onOpenResident={onOpenResident}
                />
              ))}
            </Flex>
          )}
        </Section>

        <Section title={t('residents.notes')}>
          <Typography.Paragraph
            type={resident.notes ? undefined : 'secondary'}
            style={{ margin: 0, whiteSpace: 'pre-wrap' }}
          >
            {resident.notes ?? t('residents.card.noNotes')}
          </Typography.Paragraph>
        </Section>

        <Section
          title={t('residents.card.openTickets', { count: card.openTickets.length })}
          testId="card-open-tickets"
        >
          {card.openTickets.length === 0 ? (
            <Typography.Text type="secondary">{t('residents.card.noOpenTickets')}</Typography.Text>
          ) : (
            card.openTickets.map((ticket) => <TicketLine key={ticket.id} ticket={ticket} onOpen={onClose} />)
          )}
        </Section>

        <Section title={t('residents.card.complaints')} testId="card-complaints">
          {card.recentComplaints.length === 0 ? (
            <Typography.Text type="secondary">{t('residents.card.noComplaints')}</Typography.Text>
          ) : (
            card.recentComplaints.map((ticket) => (
              <TicketLine key={ticket.id} ticket={ticket} onOpen={onClose} />
            ))
          )}
        </Section>

        <Section title={t('residents.card.satisfaction')}>
          <Typography.Text type={card.satisfaction ? undefined : 'secondary'} data-testid="card-satisfaction">
            {card.satisfaction
              ? t('residents.card.satisfactionValue', {
                  average: card.satisfaction.average.toFixed(1),
                  count: card.satisfaction.count,
                })
              : t('residents.card.noSatisfaction')}
          </Typography.Text>
        </Section>

        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {[
            resident.moveInDate
              ? t('residents.card.movedInOn', {
                  date: dayjs(resident.moveInDate).format(t('time.dateFormat')),
                })
              : null,
            t('residents.card.registeredOn', { date: formatFull(resident.createdAt, t) }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography.Text>
      </Flex>
    );
  }

  const resident = card?.resident;
  const actions =
    resident && access.editResidents ? (
      <Flex gap={8}>
        {resident.archived ? null : (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="card-edit">
            {t('common.edit')}
          </Button>
        )}
        <Popconfirm
          title={
            resident.archived
              ? t('residents.card.restoreConfirm', { name: resident.name })
              : t('residents.card.archiveConfirm', { name: resident.name })
          }
          okText={resident.archived ? t('residents.card.restore') : t('residents.card.archive')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: !resident.archived }}
          onConfirm={() =>
            archive
              .mutateAsync({ id: resident.id, version: resident.version, archived: !resident.archived })
              .then((saved) => {
                void message.success(
                  saved.archived
                    ? t('residents.card.archived', { name: saved.name })
                    : t('residents.card.restored', { name: saved.name }),
                );
              })
              .catch(() => undefined)
          }
        >
          <Button
            icon={resident.archived ? <RollbackOutlined /> : <InboxOutlined />}
            danger={!resident.archived}
            data-testid="card-archive"
          >
            {resident.archived ? t('residents.card.restore') : t('residents.card.archive')}
          </Button>
        </Popconfirm>
      </Flex>
    ) : null;

  return (
    <Drawer
      open={!!residentId}
      onClose={onClose}
      size={520}
      title={t('residents.card.title')}
      extra={actions}
      destroyOnHidden
      data-testid="resident-card"
    >
      {body}
      {card ? (
        <>
          <ResidentEditModal
            open={editing}
            card={card}
            revealedPhones={fullPhones}
            onRevealed={(phones) => setRevealed({ id: card.resident.id, phones })}
            onClose={() => setEditing(false)}
          />
          <AddRoomModal open={addingRoom} resident={card.resident} onClose={() => setAddingRoom(false)} />
          <MoveOutModal room={movingOut} resident={card.resident} onClose={() => setMovingOut(null)} />
        </>
      ) : null}
    </Drawer>
  );
}
