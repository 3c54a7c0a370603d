import { MessageOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, List } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../app/i18n';
import { CallbackActions, CallbackCountdown, CallbackSummary } from './CallbackRow';
import { MessageModal } from './MessageModal';
import { useCallbacks } from './queries';

/**
 * For the call desk (R30): my callbacks due, the first due on top, with their countdowns and
 * attempt buttons, and 记录留言 — the message form with its read-back step. `caller` pre-fills the
 * form from the caller's card when a call is on.
 */
export function CallbacksPanel({
  caller,
  limit = 5,
}: {
  caller?: { name?: string; phone?: string; communityId?: string };
  limit?: number;
}) {
  const { t } = useI18n();
  const [taking, setTaking] = useState(false);
  const { data, isLoading } = useCallbacks({ view: 'mine', status: 'open', limit });
  return (
    <Card
      size="small"
      title={t('callbacks.myDue')}
      data-testid="callbacks-panel"
      extra={
        <Flex gap={8} align="center">
          <Link to="/callbacks">{t('callbacks.viewAll')}</Link>
          <Button
            size="small"
            type="primary"
            icon={<MessageOutlined />}
            onClick={() => setTaking(true)}
            data-testid="panel-take-message"
          >
            {t('callbacks.takeMessage')}
          </Button>
        </Flex>
      }
    >
      <List
        loading={isLoading}
        dataSource={data?.items ?? []}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('callbacks.empty')} />,
        }}
        renderItem={(item) => (
          <List.Item key={item.id}>
            <Flex vertical gap={6} style={{ width: '100%' }}>
              <Flex gap={8} align="start" justify="space-between">
                <CallbackSummary callback={item} />
                <CallbackCountdown callback={item} offsetMs={data?.offsetMs ?? 0} />
              </Flex>
              <CallbackActions callback={item} compact />
            </Flex>
          </List.Item>
        )}
      />
      <MessageModal
        open={taking}
        onClose={() => setTaking(false)}
        defaults={
          caller
            ? {
                ...(caller.name ? { callerName: caller.name } : {}),
                ...(caller.phone ? { phone: caller.phone } : {}),
                ...(caller.communityId ? { communityId: caller.communityId } : {}),
              }
            : undefined
        }
      />
    </Card>
  );
}
