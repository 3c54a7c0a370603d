import { Flex, Tag, Tooltip, Typography } from 'antd';
import { type Occupancy, ROOM_STATUSES, type RoomStatus } from '../../api/types';
import { useT } from '../../app/i18n';

export const ROOM_STATUS_COLORS: Record<RoomStatus, string> = {
  occupied: 'green',
  vacant: 'default',
  renovating: 'orange',
};

/** The bar's colours: occupied green, vacant grey, renovating orange, as on the status tags. */
const BAR_COLORS: Record<RoomStatus, string> = {
  occupied: '#52c41a',
  vacant: '#d9d9d9',
  renovating: '#fa8c16',
};

export function RoomStatusTag({ status }: { status: RoomStatus }) {
  const t = useT();
  return (
    <Tag color={ROOM_STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {t(`registry.rooms.status.${status}`)}
    </Tag>
  );
}

/** "已入住 40 · 空置 3 · 装修中 1" with a thin bar: occupancy at a glance (R1). */
export function OccupancyCounts({
  occupancy,
  bar = true,
  size = 'small',
}: {
  occupancy: Occupancy;
  bar?: boolean;
  size?: 'small' | 'large';
}) {
  const t = useT();
  const summary = t('registry.occupancy.summary', {
    total: occupancy.total,
    occupied: occupancy.occupied,
    vacant: occupancy.vacant,
    renovating: occupancy.renovating,
  });
  return (
    <Flex vertical gap={4} style={{ minWidth: 0 }} aria-label={summary}>
      <Flex gap={size === 'large' ? 16 : 10} wrap style={{ fontSize: size === 'large' ? 14 : 12 }}>
        {ROOM_STATUSES.map((status) => (
          <Typography.Text
            key={status}
            type={status === 'vacant' && occupancy.vacant === 0 ? 'secondary' : undefined}
            style={{ fontSize: 'inherit', whiteSpace: 'nowrap' }}
          >
            <span
              aria-hidden
              style={{
                display: 'inline-block',
                width: 8,
                height: 8,
                borderRadius: 2,
                background: BAR_COLORS[status],
                marginInlineEnd: 4,
              }}
            />
            {t(`registry.rooms.status.${status}`)}{' '}
            <Typography.Text strong style={{ fontSize: 'inherit' }}>
              {occupancy[status]}
            </Typography.Text>
          </Typography.Text>
        ))}
      </Flex>
      {bar && occupancy.total > 0 ? (
        <Tooltip title={summary}>
          <div
            style={{
              display: 'flex',
              height: size === 'large' ? 8 : 4,
              borderRadius: 4,
              overflow: 'hidden',
              maxWidth: 280,
            }}
          >
            {ROOM_STATUSES.map((status) =>
              occupancy[status] > 0 ? (
                <div key={status} style={{ flex: occupancy[status], background: BAR_COLORS[status] }} />
              ) : null,
            )}
          </div>
        </Tooltip>
      ) : null}
    </Flex>
  );
}
