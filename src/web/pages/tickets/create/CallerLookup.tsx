import { HomeOutlined, PhoneOutlined, UserAddOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Flex, Input, type InputRef, Spin, Typography, theme } from 'antd';
import { forwardRef, useEffect, useId, useMemo, useState } from 'react';
import { api, unwrap } from '../../../api/client';
import type { Resident, Room } from '../../../api/types';
import { useCommunity } from '../../../app/community';
import { useI18n } from '../../../app/i18n';
import { useDebounced } from '../../../components/useDebounced';
import { CareTags, KindTag, useNameWithSalutation } from '../../residents/tags';
import { readLookup } from './lookup';

/** What the agent picked in the lookup: a registered resident, a room, or an unknown caller's number. */
export type LookupPick =
  | { kind: 'resident'; resident: Resident }
  | { kind: 'room'; room: Room }
  | { kind: 'caller'; phone: string };

const RESIDENT_LIMIT = 6;
const ROOM_LIMIT = 4;

interface CallerLookupProps {
  id?: string;
  communityId: string | undefined;
  onPick: (pick: LookupPick) => void;
}

/**
 * 来电号码 / 房号: the one field the agent types into first. The residents search reads names,
 * phones in any format, 尾号 and room codes itself (R3); the matches are listed under the field,
 * ↑/↓ move, Enter picks the highlighted one (the first unless moved) — even when pressed before
 * the results arrived — and Esc hides the list.
 */
export const CallerLookup = forwardRef<InputRef, CallerLookupProps>(function CallerLookup(
  { id, communityId, onPick },
  ref,
) {
  const { t } = useI18n();
  const { token } = theme.useToken();
  const { nameOf: communityName, communities } = useCommunity();
  const nameOf = useNameWithSalutation();
  const listId = useId();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const [hidden, setHidden] = useState(false);
  const [enterPending, setEnterPending] = useState(false);
  const query = useDebounced(text.trim(), 200);
  const typed = text.trim();
  const { phone, roomCode } = useMemo(() => readLookup(query), [query]);

  const residents = useQuery({
    queryKey: ['residents', 'lookup', communityId ?? null, query],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/residents', {
          params: { query: { communityId, q: query, limit: RESIDENT_LIMIT } },
        }),
      ).then((page) => page.items),
    enabled: query.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const rooms = useQuery({
    queryKey: ['rooms', 'lookup', communityId ?? null, query],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/rooms', { params: { query: { communityId, q: query, limit: ROOM_LIMIT } } }),
      ).then((page) => page.items),
    enabled: query.length >= 1 && roomCode,
    staleTime: 10_000,
  });

  const searching = query.length >= 2 || roomCode;
  const settled = query === typed && !residents.isFetching && !(roomCode && rooms.isFetching) && searching;
  const picks = useMemo<LookupPick[]>(() => {
    if (!searching) return [];
    const list: LookupPick[] = [];
    for (const resident of residents.data ?? []) list.push({ kind: 'resident', resident });
    if (roomCode) for (const room of rooms.data ?? []) list.push({ kind: 'room', room });
    // A full number is always offered as a caller of its own, after any resident it found.
    if (phone) list.push({ kind: 'caller', phone });
    return list;
  }, [searching, residents.data, rooms.data, roomCode, phone]);

  const pick = (choice: LookupPick | undefined) => {
    if (!choice) return;
    setHidden(true);
    setEnterPending(false);
    onPick(choice);
  };

  // Enter pressed while the search was still running: pick the first result once it is there.
  useEffect(() => {
    if (!enterPending || !settled) return;
    setEnterPending(false);
    if (picks[0]) {
      setHidden(true);
      onPick(picks[0]);
    }
  }, [enterPending, settled, picks, onPick]);

  const open = !hidden && typed.length > 0 && (searching || query !== typed);
  // The results change under the highlight as the agent types: keep it on a result.
  const current = Math.max(0, Math.min(active, picks.length - 1));
  const optionId = (index: number) => `${listId}-option-${index}`;

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!open || picks.length === 0) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + picks.length) % picks.length);
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      if (!typed) return;
      if (settled && !hidden) pick(picks[current]);
      else if (!settled) setEnterPending(true);
    } else if (event.key === 'Escape' && open) {
      // Esc hides the list first; a second Esc closes the drawer.
      event.stopPropagation();
      setHidden(true);
    }
  };

  const showCommunity = !communityId && communities.length > 1;
  const renderPick = (choice: LookupPick) => {
    if (choice.kind === 'resident') {
      const { resident } = choice;
      return (
        <Flex gap={8} align="center" wrap>
          <Typography.Text strong>{nameOf(resident.name, resident.salutation)}</Typography.Text>
          <KindTag kind={resident.kind} />
          <Typography.Text>{resident.roomLabel}</Typography.Text>
          <Typography.Text type="secondary">{resident.phone}</Typography.Text>
          {showCommunity ? (
            <Typography.Text type="secondary">{communityName(resident.communityId)}</Typography.Text>
          ) : null}
          <CareTags care={resident.care} />
        </Flex>
      );
    }
    if (choice.kind === 'room') {
      return (
        <Flex gap={8} align="center">
          <HomeOutlined aria-hidden />
          <Typography.Text>{choice.room.label}</Typography.Text>
          <Typography.Text type="secondary">
            {t('tickets.intake.roomOnly')}
            {showCommunity ? ` · ${communityName(choice.room.communityId)}` : ''}
          </Typography.Text>
        </Flex>
      );
    }
    return (
      <Flex gap={8} align="center">
        <UserAddOutlined aria-hidden />
        <Typography.Text>{t('tickets.intake.asCaller', { phone: choice.phone })}</Typography.Text>
      </Flex>
    );
  };

  return (
    <div style={{ position: 'relative' }}>
      <Input
        ref={ref}
        id={id}
        size="large"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
          setHidden(false);
          setEnterPending(false);
        }}
        onKeyDown={onKeyDown}
        prefix={<PhoneOutlined aria-hidden />}
        suffix={residents.isFetching || rooms.isFetching ? <Spin size="small" /> : <span />}
        placeholder={t('tickets.intake.lookupPlaceholder')}
        autoComplete="off"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && picks[current] ? optionId(current) : undefined}
        data-testid="intake-lookup"
      />
      {open ? (
        <div
          id={listId}
          role="listbox"
          aria-label={t('tickets.intake.lookupResults')}
          data-testid="intake-lookup-results"
          style={{
            marginTop: 4,
            border: `1px solid ${token.colorBorderSecondary}`,
            borderRadius: token.borderRadius,
            background: token.colorBgContainer,
            maxHeight: 260,
            overflow: 'auto',
          }}
        >
          {picks.length === 0 ? (
            <Typography.Text type="secondary" style={{ display: 'block', padding: '8px 12px' }}>
              {settled ? t('tickets.intake.noMatch') : t('common.loading')}
            </Typography.Text>
          ) : (
            picks.map((choice, index) => (
              <div
                key={
                  choice.kind === 'resident'
                    ? choice.resident.id
                    : choice.kind === 'room'
                      ? `room-${choice.room.id}`
                      : 'caller'
                }
                id={optionId(index)}
                role="option"
                aria-selected={index === current}
                tabIndex={-1}
                data-testid={`intake-pick-${choice.kind}`}
                onMouseEnter={() => setActive(index)}
                onMouseDown={(event) => {
                  // keep the focus in the field, then pick
                  event.preventDefault();
                  pick(choice);
                }}
                style={{
                  padding: '6px 12px',
                  cursor: 'pointer',
                  background: index === current ? token.controlItemBgActive : undefined,
                }}
              >
                {renderPick(choice)}
              </div>
            ))
          )}
        </div>
      ) : null}
    </div>
  );
});
