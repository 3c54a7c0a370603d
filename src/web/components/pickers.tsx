import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useCallback } from 'react';
import { api, unwrap } from '../api/client';
import type { Resident, Room } from '../api/types';
import { useCommunity } from '../app/community';
import { useT } from '../app/i18n';
import { parseRoomQuery } from './roomQuery';
import { type Picked, SearchSelect } from './SearchSelect';

interface PickerProps<T> {
  id?: string;
  communityId: string | undefined;
  value?: Picked | null;
  onChange?: (picked: Picked | undefined, item: T | undefined) => void;
  'data-testid'?: string;
}

/** Rooms of a community, searched by "3-2-1502", "3栋2单元1502" or the room number. */
export function RoomPicker({ communityId, ...rest }: PickerProps<Room>) {
  const t = useT();
  const search = useCallback(
    async (q: string) => {
      const path = parseRoomQuery(q);
      const page = await unwrap(
        api.GET('/api/v1/rooms', {
          params: {
            query: { communityId, q: (path ? path.number : q) || undefined, limit: path ? 100 : 20 },
          },
        }),
      );
      return path ? page.items.filter((room) => path.matches(room.label)) : page.items;
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
  const search = useCallback(
    async (q: string) => {
      const path = parseRoomQuery(q);
      const page = await unwrap(
        api.GET('/api/v1/residents', {
          params: {
            query: { communityId, q: (path ? path.number : q) || undefined, limit: path ? 100 : 20 },
          },
        }),
      );
      return path ? page.items.filter((resident) => path.matches(resident.roomLabel)) : page.items;
    },
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
