import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select, Spin } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { parseRoomCode, roomCodeKey } from '../../domain/room-code';
import { api, unwrap } from '../api/client';
import type { Resident, Role, Room, Staff } from '../api/types';
import { useCommunity } from '../app/community';
import { useT } from '../app/i18n';
import { type Picked, SearchSelect } from './SearchSelect';
import { useDebounced } from './useDebounced';

interface PickerProps<T> {
  id?: string;
  communityId: string | undefined;
  value?: Picked | null;
  onChange?: (picked: Picked | undefined, item: T | undefined) => void;
  'data-testid'?: string;
}

/**
 * Rooms of a community, searched by "3-2-1502", "3栋2单元1502" or the room number. GET /rooms
 * searches room numbers only, so a room code is read with the server's own parser (src/domain)
 * and the rooms of that number are narrowed to the building and unit it names.
 */
export function RoomPicker({ communityId, ...rest }: PickerProps<Room>) {
  const t = useT();
  const search = useCallback(
    async (q: string) => {
      const code = parseRoomCode(q);
      const narrowed = code && (code.building !== null || code.unit !== null);
      const page = await unwrap(
        api.GET('/api/v1/rooms', {
          params: {
            query: { communityId, q: (narrowed ? code.room : q) || undefined, limit: narrowed ? 100 : 20 },
          },
        }),
      );
      if (!narrowed) return page.items;
      const wanted = roomCodeKey(code);
      return page.items.filter((room) => {
        const parsed = parseRoomCode(room.label);
        return parsed !== null && roomCodeKey(parsed) === wanted;
      });
    },
    [communityId],
  );
  const toOption = useCallback((room: Room) => ({ value: room.id, label: room.label }), []);
  return (
    <SearchSelect<Room>
      {...rest}
      queryKey={['rooms', 'pick', communityId]}
      search={search}
      toOption={toOption}
      enabled={!!communityId}
      placeholder={communityId ? t('tickets.form.roomPlaceholder') : t('tickets.form.chooseCommunityFirst')}
      notFound={t('tickets.form.noRooms')}
    />
  );
}

/** Residents of a community, searched by name, phone, last 4 digits (尾号) or room. */
export function ResidentPicker({ communityId, ...rest }: PickerProps<Resident>) {
  const t = useT();
  // The server ranks names, pinyin initials, room codes, phones and 尾号 itself (R3): send the text as typed.
  const search = useCallback(
    async (q: string) =>
      (
        await unwrap(
          api.GET('/api/v1/residents', { params: { query: { communityId, q: q || undefined, limit: 20 } } }),
        )
      ).items,
    [communityId],
  );
  const toOption = useCallback(
    (resident: Resident) => ({
      value: resident.id,
      label: resident.name,
      description: `${resident.roomLabel} ${resident.phone}`,
    }),
    [],
  );
  return (
    <SearchSelect<Resident>
      {...rest}
      queryKey={['residents', 'pick', communityId]}
      search={search}
      toOption={toOption}
      enabled={!!communityId}
      placeholder={
        communityId ? t('tickets.form.residentPlaceholder') : t('tickets.form.chooseCommunityFirst')
      }
      notFound={t('tickets.form.noResidents')}
    />
  );
}

/** Public areas of a community (a short list, loaded whole). */
export function PublicAreaPicker({
  id,
  communityId,
  value,
  onChange,
}: {
  id?: string;
  communityId: string | undefined;
  value?: Picked | null;
  onChange?: (picked: Picked | undefined) => void;
}) {
  const t = useT();
  const { data, isLoading } = useQuery({
    queryKey: ['public-areas', communityId],
    queryFn: () =>
      unwrap(api.GET('/api/v1/public-areas', { params: { query: { communityId, limit: 200 } } })),
    enabled: !!communityId,
  });
  const options = (data?.items ?? []).map((area) => ({ value: area.id, label: area.name }));
  return (
    <Select
      id={id}
      labelInValue
      value={value ?? undefined}
      onChange={(next: { value: string } | undefined) =>
        onChange?.(next ? options.find((option) => option.value === next.value) : undefined)
      }
      allowClear
      loading={isLoading}
      disabled={communityId ? undefined : true}
      placeholder={
        communityId ? t('tickets.form.publicAreaPlaceholder') : t('tickets.form.chooseCommunityFirst')
      }
      showSearch={{ optionFilterProp: 'label' }}
      options={options}
      notFoundContent={t('registry.publicAreas.empty')}
    />
  );
}

/** One of the user's communities (for forms). */
export function CommunityPicker({
  id,
  value,
  onChange,
  'data-testid': testId,
}: {
  id?: string;
  value?: string;
  onChange?: (id: string) => void;
  'data-testid'?: string;
}) {
  const { communities } = useCommunity();
  return (
    <Select
      id={id}
      data-testid={testId}
      value={value}
      onChange={onChange}
      showSearch={{ optionFilterProp: 'label' }}
      options={communities.map((community) => ({ value: community.id, label: community.name }))}
    />
  );
}

/**
 * Staff searched by name, 工号 or user name (GET /staff, which only admins may read), optionally
 * only those with one role, e.g. the stewards a building can be given.
 */
export function StaffPicker({
  staffRole: role,
  ...rest
}: Omit<PickerProps<Staff>, 'communityId'> & { staffRole?: Role; placeholder?: string }) {
  const t = useT();
  const search = useCallback(
    async (q: string) => {
      const page = await unwrap(
        api.GET('/api/v1/staff', { params: { query: { q: q || undefined, limit: role ? 100 : 30 } } }),
      );
      return page.items.filter((staff) => !staff.disabled && (!role || staff.roles.includes(role)));
    },
    [role],
  );
  const toOption = useCallback(
    (staff: Staff) => ({
      value: staff.id,
      label: `${staff.name}（${staff.employeeNo}）`,
    }),
    [],
  );
  return (
    <SearchSelect<Staff>
      {...rest}
      queryKey={['staff', 'pick', role]}
      search={search}
      toOption={toOption}
      placeholder={rest.placeholder ?? t('common.staffSearchPlaceholder')}
      notFound={t('common.staffNotFound')}
    />
  );
}

/** Several staff at once (team members), searched on the server; admins only, like StaffPicker. */
export function StaffMultiPicker({
  id,
  value,
  onChange,
  locked = [],
  'data-testid': testId,
}: {
  id?: string;
  value?: Picked[];
  onChange?: (picked: Picked[]) => void;
  /** Ids that cannot be removed (e.g. the team leader). */
  locked?: string[];
  'data-testid'?: string;
}) {
  const t = useT();
  const [q, setQ] = useState('');
  const debouncedQ = useDebounced(q.trim(), 250);
  const { data, isFetching } = useQuery({
    queryKey: ['staff', 'pick-many', debouncedQ],
    queryFn: () =>
      unwrap(api.GET('/api/v1/staff', { params: { query: { q: debouncedQ || undefined, limit: 30 } } })),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const options = useMemo(() => {
    const list = (data?.items ?? [])
      .filter((staff) => !staff.disabled)
      .map((staff) => ({ value: staff.id, label: `${staff.name}（${staff.employeeNo}）` }));
    for (const picked of value ?? []) {
      if (!list.some((option) => option.value === picked.value)) list.unshift(picked);
    }
    return list.map((option) => ({ ...option, disabled: locked.includes(option.value) }));
  }, [data, value, locked]);
  return (
    <Select
      id={id}
      data-testid={testId}
      mode="multiple"
      labelInValue
      value={value}
      onChange={(next: { value: string; label?: unknown }[]) => {
        setQ('');
        const kept = (value ?? []).filter((picked) => locked.includes(picked.value));
        const chosen = next.map((item) => ({
          value: item.value,
          label: options.find((option) => option.value === item.value)?.label ?? item.value,
        }));
        onChange?.([...kept.filter((picked) => !chosen.some((c) => c.value === picked.value)), ...chosen]);
      }}
      placeholder={t('common.staffSearchPlaceholder')}
      showSearch={{ filterOption: false, onSearch: setQ }}
      notFoundContent={isFetching ? <Spin size="small" /> : t('common.staffNotFound')}
      options={options}
    />
  );
}
