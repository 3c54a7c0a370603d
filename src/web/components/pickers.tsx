import { useQueries, useQuery } from '@tanstack/react-query';
import { Select, Spin } from 'antd';
import { useCallback, useMemo } from 'react';
import { api, unwrap } from '../api/client';
import type { Resident, Role, Room, StaffEntry } from '../api/types';
import { useCommunity } from '../app/community';
import { useT } from '../app/i18n';
import { type Picked, SearchSelect } from './SearchSelect';

interface PickerProps<T> {
  id?: string;
  communityId: string | undefined;
  value?: Picked | null;
  onChange?: (picked: Picked | undefined, item: T | undefined) => void;
  'data-testid'?: string;
}

/**
 * Rooms of a community, searched by "3-2-1502", "3栋2单元1502", "３－２－１５０２" or the start of
 * the room number: GET /rooms reads room codes itself (R3), so the text is sent as typed.
 */
export function RoomPicker({ communityId, ...rest }: PickerProps<Room>) {
  const t = useT();
  const search = useCallback(
    async (q: string) =>
      (
        await unwrap(
          api.GET('/api/v1/rooms', { params: { query: { communityId, q: q || undefined, limit: 20 } } }),
        )
      ).items,
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

const staffLabel = (staff: StaffEntry) => `${staff.name}（${staff.employeeNo}）`;

type Directory = { items: StaffEntry[]; isLoading: boolean };

/** One list from the directories of several communities: each person once, by 工号. */
function mergeDirectories(results: { data?: { items: StaffEntry[] }; isLoading: boolean }[]): Directory {
  const byId = new Map<string, StaffEntry>();
  for (const result of results) for (const staff of result.data?.items ?? []) byId.set(staff.id, staff);
  return {
    items: [...byId.values()].sort((a, b) => a.employeeNo.localeCompare(b.employeeNo)),
    isLoading: results.some((result) => result.isLoading),
  };
}

/**
 * Active staff who can see a community (GET /staff/directory, which admins, managers and
 * supervisors read), optionally only those with one role. A community has tens of staff, not
 * thousands, so the list is loaded whole and narrowed as the user types. `null` is a company-wide
 * team: the staff of every community the user sees; `undefined` is no community chosen yet.
 */
function useStaffDirectory(communityId: string | null | undefined, role?: Role): Directory {
  const { communities } = useCommunity();
  const ids =
    communityId === null ? communities.map((community) => community.id) : communityId ? [communityId] : [];
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ['staff', 'directory', id, role ?? null],
      queryFn: () =>
        unwrap(api.GET('/api/v1/staff/directory', { params: { query: { communityId: id, role } } })),
      staleTime: 60_000,
    })),
    combine: mergeDirectories,
  });
}

/** The chosen people first when the list does not have them (e.g. a steward since disabled). */
function withPicked(options: Picked[], picked: Picked[]): Picked[] {
  const missing = picked.filter((chosen) => !options.some((option) => option.value === chosen.value));
  return [...missing, ...options];
}

interface StaffPickerProps {
  id?: string;
  /** The community the staff must see; null for a company-wide team. */
  communityId: string | null | undefined;
  'data-testid'?: string;
}

/** One of the staff of a community, by name or 工号, optionally with one role (a building's steward). */
export function StaffPicker({
  id,
  communityId,
  staffRole,
  value,
  onChange,
  placeholder,
  'data-testid': testId,
}: StaffPickerProps & {
  staffRole?: Role;
  value?: Picked | null;
  onChange?: (picked: Picked | undefined) => void;
  placeholder?: string;
}) {
  const t = useT();
  const { items, isLoading } = useStaffDirectory(communityId, staffRole);
  const options = useMemo(
    () =>
      withPicked(
        items.map((staff) => ({ value: staff.id, label: staffLabel(staff) })),
        value ? [value] : [],
      ),
    [items, value],
  );
  return (
    <Select
      id={id}
      data-testid={testId}
      labelInValue
      allowClear
      value={value ?? undefined}
      onChange={(next: { value: string } | undefined) =>
        onChange?.(next ? options.find((option) => option.value === next.value) : undefined)
      }
      loading={isLoading}
      disabled={communityId === undefined ? true : undefined}
      placeholder={
        communityId === undefined
          ? t('tickets.form.chooseCommunityFirst')
          : (placeholder ?? t('common.staffSearchPlaceholder'))
      }
      showSearch={{ optionFilterProp: 'label' }}
      notFoundContent={isLoading ? <Spin size="small" /> : t('common.staffNotFound')}
      options={options}
    />
  );
}

/** Several staff of a community at once (team members), by name or 工号. */
export function StaffMultiPicker({
  id,
  communityId,
  value,
  onChange,
  locked = [],
  'data-testid': testId,
}: StaffPickerProps & {
  value?: Picked[];
  onChange?: (picked: Picked[]) => void;
  /** Ids that cannot be removed (e.g. the team leader). */
  locked?: string[];
}) {
  const t = useT();
  const { items, isLoading } = useStaffDirectory(communityId);
  const options = useMemo(
    () =>
      withPicked(
        items.map((staff) => ({ value: staff.id, label: staffLabel(staff) })),
        value ?? [],
      ).map((option) => ({ ...option, disabled: locked.includes(option.value) })),
    [items, value, locked],
  );
  return (
    <Select
      id={id}
      data-testid={testId}
      mode="multiple"
      labelInValue
      value={value}
      onChange={(next: { value: string; label?: unknown }[]) => {
        const kept = (value ?? []).filter((picked) => locked.includes(picked.value));
        const chosen = next.map((item) => ({
          value: item.value,
          label: options.find((option) => option.value === item.value)?.label ?? item.value,
        }));
        onChange?.([...kept.filter((picked) => !chosen.some((c) => c.value === picked.value)), ...chosen]);
      }}
      loading={isLoading}
      disabled={communityId === undefined ? true : undefined}
      placeholder={
        communityId === undefined
          ? t('tickets.form.chooseCommunityFirst')
          : t('common.staffSearchPlaceholder')
      }
      showSearch={{ optionFilterProp: 'label' }}
      notFoundContent={isLoading ? <Spin size="small" /> : t('common.staffNotFound')}
      options={options}
    />
  );
}
