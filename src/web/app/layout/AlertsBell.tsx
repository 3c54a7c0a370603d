import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, Flex, Popover, Switch, Typography, theme } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { formatFull, formatWhen } from '../../components/format';
import { useI18n } from '../i18n';
import { ALERTS_KEY } from './alertsKey';

/** A safety net under the live stream, which refreshes the alerts at each escalation. */
const POLL_MS = 60_000;

function useAlerts(unreadOnly: boolean) {
  return useQuery({
    queryKey: [...ALERTS_KEY, { unreadOnly }],
    queryFn: () =>
      unwrap(api.GET('/api/v1/me/alerts', { params: { query: { unread: unreadOnly, limit: 30 } } })),
    refetchInterval: POLL_MS,
  });
}

function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id?: string) =>
      id
        ? unwrap(api.POST('/api/v1/me/alerts/{id}/read', { params: { path: { id } } }))
        : unwrap(api.POST('/api/v1/me/alerts/read')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ALERTS_KEY }),
  });
}

/**
 * The bell in the header (R26 逐级负责制): escalations that reached the reader's level, unread
 * first counted on the badge. Opening one marks it read and goes to the request.
 */
export function AlertsBell() {
  const { t } = useI18n();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(true);
  const { data } = useAlerts(unreadOnly);
  const markRead = useMarkRead();
  const unread = data?.unread ?? 0;
  const items = data?.items ?? [];

  const content = (
    <Flex vertical gap={8} style={{ width: 360, maxHeight: 420 }} data-testid="alerts-panel">
      <Flex justify="space-between" align="center">
        <Flex gap={6} align="center">
          <Switch size="small" checked={!unreadOnly} onChange={(all) => setUnreadOnly(!all)} />
          <Typography.Text type="secondary">{t('alerts.showAll')}</Typography.Text>
        </Flex>
        <Button size="small" type="link" disabled={!unread} onClick={() => markRead.mutate(undefined)}>
          {t('alerts.markAll')}
        </Button>
      </Flex>
      <div style={{ overflowY: 'auto' }}>
        {items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alerts.none')} />
        ) : (
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {items.map((alert) => (
              <li key={alert.id} style={{ borderTop: `1px solid ${token.colorBorderSecondary}` }}>
                <button
                  type="button"
                  data-testid="alert-item"
                  onClick={() => {
                    if (!alert.readAt) markRead.mutate(alert.id);
                    setOpen(false);
                    // R30: a callback's alert opens the callbacks page on it
                    navigate(
                      alert.callbackId
                        ? `/callbacks?focus=${alert.callbackId}`
                        : `/tickets/${alert.ticketId}`,
                    );
                  }}
                  style={{
                    all: 'unset',
                    boxSizing: 'border-box',
                    cursor: 'pointer',
                    display: 'block',
                    width: '100%',
                    padding: '8px 4px',
                  }}
                >
                  <Flex gap={8} align="baseline">
                    <Badge
                      status={alert.readAt ? 'default' : 'error'}
                      aria-label={alert.readAt ? undefined : t('alerts.unread')}
                    />
                    <Flex vertical gap={2} style={{ minWidth: 0 }}>
                      <Typography.Text strong={!alert.readAt} style={{ whiteSpace: 'normal' }}>
                        {alert.text}
                      </Typography.Text>
                      <Typography.Text type="secondary" title={formatFull(alert.createdAt, t)}>
                        {formatWhen(alert.createdAt, t)}
                      </Typography.Text>
                    </Flex>
                  </Flex>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Flex>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      title={t('alerts.title')}
      content={content}
    >
      <Badge count={unread} size="small" overflowCount={99}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t('alerts.open', { count: unread })}
          data-testid="alerts-bell"
        />
      </Badge>
    </Popover>
  );
}
