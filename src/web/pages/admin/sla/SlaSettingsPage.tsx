import { Alert, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { PageHeader } from '../../../components/PageHeader';
import { CalendarTab } from './CalendarTab';
import { PoliciesTab } from './PoliciesTab';

export const SLA_SETTINGS_PATH = '/admin/sla';

type Tab = 'policies' | 'calendar';

/**
 * 时限设置 (PRODUCT.md §3): the time each request type and priority is promised (policies: the
 * company's defaults and a community's overrides) and the business calendars those counted in
 * working time follow. Supervisors and quality staff read; a community's manager edits its own;
 * the admin edits the company's and re-applies changes to the clocks already running.
 */
export function SlaSettingsPage() {
  const t = useT();
  const access = useAccess();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'calendar' ? 'calendar' : 'policies';

  return (
    <>
      <PageHeader title={t('slaSettings.title')} />
      {access.editSlaSettings ? null : (
        <Alert type="info" showIcon title={t('slaSettings.readOnly')} style={{ marginBottom: 12 }} />
      )}
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          const next = new URLSearchParams(params);
          if (key === 'calendar') next.set('tab', key);
          else next.delete('tab');
          setParams(next, { replace: true });
        }}
        items={[
          { key: 'policies', label: t('slaSettings.tabs.policies'), children: <PoliciesTab /> },
          { key: 'calendar', label: t('slaSettings.tabs.calendar'), children: <CalendarTab /> },
        ]}
      />
    </>
  );
}
