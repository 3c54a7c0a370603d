import { PauseCircleOutlined, PhoneOutlined, PlayCircleOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Flex, List, Skeleton, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { CardTicket } from '../../api/types';
import { useNow } from '../../components/useNow';
import {
  refreshCalls,
  useCallPop,
  useLinkTicket,
  useMyExtension,
  useOriginate,
} from '../../pages/calls/queries';
import { PopScripts, ScriptText } from '../../pages/knowledge/KnowledgeSearch';
import { CareTags } from '../../pages/residents/tags';
import { TicketCreateDrawer } from '../../pages/tickets/lazyDrawers';
import { StatusTag, TypeTag } from '../../pages/tickets/tags';
import { useI18n } from '../i18n';
import { useUserEvents } from '../liveUpdates';
import { useAccess, useMe } from '../session';

/** `event: call.*` of GET /api/v1/events: addressed to me (the server sends it to no one else). */
interface CallEventData {
  type: 'call.ringing' | 'call.answered' | 'call.ended';
  callId: string;
  status: string;
}

/** R29: a caller on hold is checked on every 20 s [002]. */
const HOLD_PROMPT_SECONDS = 20;

/** The calls addressed to me, from the app's one event stream (desk roles only act on them). */
function useCallEvents(enabled: boolean, onEvent: (event: CallEventData) => void) {
  useUserEvents((type, data) => {
    if (!enabled || !type.startsWith('call.') || typeof data.callId !== 'string') return;
    onEvent({ ...(data as unknown as CallEventData), type: type as CallEventData['type'] });
  });
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section data-testid={testId}>
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 4 }}>
        {title}
      </Typography.Text>
      {children}
    </section>
  );
}

function TicketLines({ items, empty }: { items: readonly CardTicket[]; empty: string }) {
  if (items.length === 0) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={items.slice(0, 5)}
      renderItem={(ticket) => (
        <List.Item style={{ paddingInline: 0 }}>
          <Flex gap={6} align="center" wrap style={{ minWidth: 0 }}>
            <Typography.Text code>{ticket.number}</Typography.Text>
            <TypeTag type={ticket.type as never} />
            <StatusTag status={ticket.status as never} />
            <Typography.Text ellipsis style={{ maxWidth: 220 }}>
              {ticket.content}
            </Typography.Text>
          </Flex>
        </List.Item>
      )}
    />
  );
}

/** Counts up while the caller is on hold; every 20 s says to go back to them (R29). */
function HoldHelper({ active }: { active: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [since, setSince] = useState<number | null>(null);
  const now = useNow(1000);
  const seconds = since === null ? 0 : Math.max(0, Math.floor((now.valueOf() - since) / 1000));
  const due = since !== null && seconds >= HOLD_PROMPT_SECONDS;
  const prompted = useRef(0);
  useEffect(() => {
    if (!active) setSince(null);
  }, [active]);
  useEffect(() => {
    if (since === null) return;
    const round = Math.floor(seconds / HOLD_PROMPT_SECONDS);
    if (round > prompted.current) {
      prompted.current = round;
      void message.warning({ content: t('calls.pop.holdPrompt'), duration: 6 });
    }
  }, [seconds, since, message, t]);
  if (!active) return null;
  return (
    <Flex vertical gap={8} data-testid="pop-hold">
      <Flex gap={8} align="center">
        {since === null ? (
          <Button
            icon={<PauseCircleOutlined />}
            onClick={() => {
              prompted.current = 0;
              setSince(Date.now());
            }}
            data-testid="pop-hold-toggle"
          >
            {t('calls.pop.hold')}
          </Button>
        ) : (
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            onClick={() => setSince(null)}
            data-testid="pop-hold-toggle"
          >
            {t('calls.pop.unhold')}
          </Button>
        )}
        {since !== null ? (
          <Tag color={due ? 'red' : 'orange'} data-testid="pop-hold-seconds">
            {t('calls.pop.holding', { seconds })}
          </Tag>
        ) : null}
      </Flex>
      {due ? <Alert type="warning" showIcon title={t('calls.pop.holdPrompt')} /> : null}
    </Flex>
  );
}

/**
 * The screen pop (R27–R29, UX.md's call bar): when a call rings for me, the caller's card opens
 * by itself — the greeting script with the center's name and my 工号, the surname and salutation
 * in large type, rooms, care marks, open requests and recent complaints; an unknown number offers
 * a new resident or a request. While on the line: hold with the 20-s prompt, log a request linked
 * to the call, and a reminder that the caller hangs up first (R31).
 */
export function ScreenPop() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = useAccess();
  const { data: me } = useMe();
  const enabled = access.createTickets && !!me && !me.mustChangePassword;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [callId, setCallId] = useState<string | null>(null);
  const [logging, setLogging] = useState(false);
  const { data: pop, isLoading } = useCallPop(callId);
  const link = useLinkTicket();
  const originate = useOriginate();
  const { data: extension } = useMyExtension(enabled);
  const now = useNow(1000);

  useCallEvents(enabled, (event) => {
    refreshCalls(queryClient, event.callId);
    if (event.type !== 'call.ended') setCallId(event.callId);
  });

  const call = pop?.call;
  const card = pop?.card ?? null;
  const timer =
    call && call.status !== 'ended'
      ? Math.max(
          0,
          now.diff(
            dayjs(call.status === 'answered' && call.answeredAt ? call.answeredAt : call.ringingAt),
            'second',
          ),
        )
      : null;

  let body: ReactNode = null;
  if (isLoading || !pop || !call) body = <Skeleton active paragraph={{ rows: 6 }} />;
  else
    body = (
      <Flex vertical gap={16}>
        <Flex gap={8} align="center" wrap>
          <Tag color={call.status === 'ringing' ? 'red' : call.status === 'answered' ? 'green' : 'default'}>
            {t(`calls.pop.${call.status}`)}
          </Tag>
          <Typography.Text strong data-testid="pop-number">
            <PhoneOutlined aria-hidden /> {call.number ?? '—'}
          </Typography.Text>
          {timer !== null ? <Tag data-testid="pop-timer">{t('calls.seconds', { n: timer })}</Tag> : null}
          {call.communityName ? <Tag>{call.communityName}</Tag> : null}
        </Flex>
        <Alert
          type="info"
          title={t('calls.pop.script')}
          description={<ScriptText stage="greeting" residentId={card?.resident.id} fallback={pop.script} />}
          data-testid="pop-script"
        />
        {card ? (
          <>
            <header>
              <Typography.Text
                strong
                style={{ fontSize: 34, lineHeight: 1.2, display: 'block' }}
                data-testid="pop-greeting"
              >
                {card.greeting}
              </Typography.Text>
              <Typography.Text type="secondary">{card.resident.name}</Typography.Text>
              {card.resident.care.length > 0 ? (
                <div style={{ marginTop: 8 }}>
                  <CareTags care={card.resident.care} />
                </div>
              ) : null}
            </header>
            {call.matchCount > 1 ? (
              <Alert type="warning" showIcon title={t('calls.pop.several', { n: call.matchCount })} />
            ) : null}
            <Section title={t('calls.pop.rooms')} testId="pop-rooms">
              <Flex gap={4} wrap>
                {card.rooms.map((room) => (
                  <Tag key={room.roomId} style={{ fontSize: 14 }}>
                    {room.roomLabel}
                  </Tag>
                ))}
              </Flex>
            </Section>
            <Section title={t('calls.pop.openTickets')} testId="pop-open">
              <TicketLines items={card.openTickets} empty={t('calls.pop.none')} />
            </Section>
            <Section title={t('calls.pop.complaints')} testId="pop-complaints">
              <TicketLines items={card.recentComplaints} empty={t('calls.pop.none')} />
            </Section>
          </>
        ) : (
          <Flex vertical gap={8} data-testid="pop-unknown">
            <Alert
              type="warning"
              showIcon
              title={t('calls.pop.unknown')}
              description={t('calls.pop.unknownHint')}
            />
            <Button
              icon={<UserAddOutlined />}
              onClick={() => navigate('/residents')}
              data-testid="pop-new-resident"
            >
              {t('calls.pop.newResident')}
            </Button>
          </Flex>
        )}
        <HoldHelper active={call.status === 'answered'} />
        <PopScripts residentId={card?.resident.id} />
        {call.status === 'answered' ? (
          <Typography.Text type="secondary">{t('calls.pop.hangupFirst')}</Typography.Text>
        ) : null}
        {call.tickets.length > 0 ? (
          <Flex gap={4} wrap>
            {call.tickets.map((ticket) => (
              <Tag key={ticket.id} color="blue">
                {ticket.number}
              </Tag>
            ))}
          </Flex>
        ) : null}
        <Flex gap={8} wrap>
          <Button type="primary" onClick={() => setLogging(true)} data-testid="pop-log-request">
            {t('calls.pop.logRequest')}
          </Button>
          {extension?.originate && call.number ? (
            <Button
              icon={<PhoneOutlined />}
              loading={originate.isPending}
              onClick={() =>
                originate.mutate(
                  { callId: call.id },
                  { onSuccess: (r) => void message.success(t('calls.pop.callBackSent', r)) },
                )
              }
            >
              {t('calls.pop.callBack')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
    );

  if (!enabled) return null;
  return (
    <>
      <Drawer
        open={callId !== null}
        onClose={() => setCallId(null)}
        title={t('calls.pop.title')}
        placement="right"
        size={440}
        mask={false}
        data-testid="screen-pop"
        rootClassName="screen-pop"
      >
        <div data-testid="screen-pop-body">{body}</div>
      </Drawer>
      <TicketCreateDrawer
        open={logging}
        onClose={() => setLogging(false)}
        onCreated={(ticket) => {
          setLogging(false);
          if (callId)
            link.mutate(
              { callId, ticketId: ticket.id },
              { onSuccess: () => void message.success(t('calls.pop.linked')) },
            );
        }}
      />
    </>
  );
}
