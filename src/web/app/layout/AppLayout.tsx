import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BookOutlined,
  ClusterOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FieldTimeOutlined,
  FormOutlined,
  KeyOutlined,
  LogoutOutlined,
  MessageOutlined,
  PhoneOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Flex, Layout, Menu, type MenuProps, Select, Tag, Typography, theme } from 'antd';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { canSeeLanguage } from '../../pages/admin/language/access';
import { canSeeCallbacks } from '../../pages/callbacks/CallbackRow';
import { canSeeQuality } from '../../pages/quality/access';
import { hasAny, QA_MANAGERS } from '../../pages/quality/queries';
import { canSeeReports } from '../../pages/reports/access';
import { useCommunity } from '../community';
import { useI18n } from '../i18n';
import { useAccess, useCurrentUser, useLogout } from '../session';
import { AlertsBell } from './AlertsBell';
import { ScreenPop } from './ScreenPop';

const ALL = '__all__';

function useCompanyName(): string | undefined {
  const { data } = useQuery({
    queryKey: ['company', 'public'],
    queryFn: () => unwrap(api.GET('/api/v1/company/public')),
    staleTime: 10 * 60_000,
    meta: { silent: true },
  });
  return data?.shortName || data?.name;
}

function CommunitySwitcher() {
  const { t } = useI18n();
  const { communities, communityId, setCommunityId } = useCommunity();
  if (communities.length === 0)
    return <Typography.Text type="secondary">{t('shell.noCommunity')}</Typography.Text>;
  if (communities.length === 1) {
    return (
      <Typography.Text strong data-testid="community-switch" aria-label={t('shell.community')}>
        <EnvironmentOutlined aria-hidden style={{ marginInlineEnd: 8 }} />
        {communities[0]?.name}
      </Typography.Text>
    );
  }
  const options = communities.map((community) => ({ value: community.id, label: community.name }));
  options.unshift({ value: ALL, label: t('shell.allCommunities') });
  return (
    <Select
      aria-label={t('shell.community')}
      data-testid="community-switch"
      value={communityId ?? ALL}
      onChange={(value: string) => setCommunityId(value === ALL ? undefined : value)}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      popupMatchSelectWidth={false}
      style={{ minWidth: 180 }}
    />
  );
}

function UserBox() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const logout = useLogout();
  return (
    <Flex align="center" gap={8}>
      <UserOutlined aria-hidden />
      <Typography.Text strong data-testid="current-user">
        {me.name}
      </Typography.Text>
      <Tag>{t('shell.employeeNo', { no: me.employeeNo })}</Tag>
      <Button
        icon={<LogoutOutlined />}
        loading={logout.isPending}
        onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
      >
        {t('shell.logout')}
      </Button>
    </Flex>
  );
}

export function AppLayout() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const access = useAccess();
  const location = useLocation();
  const companyName = useCompanyName();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();

  if (me.mustChangePassword) {
    // Forced password change: nothing else is offered until it is done.
    return (
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ background: token.colorBgContainer, padding: '0 24px' }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            <Typography.Text strong>{companyName ?? t('common.appName')}</Typography.Text>
            <Flex gap={12} align="center">
              <LanguageSwitch />
              <UserBox />
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    );
  }

  const items: NonNullable<MenuProps['items']> = [];
  const link = (path: string, label: string) => <Link to={path}>{label}</Link>;
  if (access.tickets)
    items.push({
      key: '/tickets',
      icon: <ProfileOutlined />,
      label: link('/tickets', t('shell.menu.tickets')),
    });
  if (access.createTickets)
    items.push({ key: '/calls', icon: <PhoneOutlined />, label: link('/calls', t('calls.menu')) });
  if (access.slaBoard)
    items.push({
      key: '/sla/board',
      icon: <DashboardOutlined />,
      label: link('/sla/board', t('sla.board.menu')),
    });
  // R30: callbacks and messages; colleagues off the desk see theirs
  if (canSeeCallbacks(me.roles))
    items.push({
      key: '/callbacks',
      icon: <MessageOutlined />,
      label: link('/callbacks', t('callbacks.menu')),
    });
  // §5 R33: the return visits owed for finished requests
  if (access.tickets)
    items.push({
      key: '/return-visits',
      icon: <PhoneOutlined />,
      label: link('/return-visits', t('visits.menu')),
    });
  // §5 R34: satisfaction, return visits on time, reopen rate and follow-ups (charts, .xlsx)
  if (canSeeReports(me.roles))
    items.push({
      key: '/reports/satisfaction',
      icon: <BarChartOutlined />,
      label: link('/reports/satisfaction', t('reports.menu')),
    });
  // §6 R39: quality spot checks (the quality team and leaders), or one's own results (agents)
  if (canSeeQuality(me.roles))
    items.push({
      key: '/quality',
      icon: <AuditOutlined />,
      label: link('/quality', t(hasAny(me.roles, QA_MANAGERS) ? 'quality.menu' : 'quality.menuMine')),
    });
  // §5 R36: satisfaction surveys of the communities
  if (access.tickets)
    items.push({
      key: '/surveys',
      icon: <FormOutlined />,
      label: link('/surveys', t('surveys.menu')),
    });
  // R32: the knowledge base of standard answers and the scripts (every member of staff)
  items.push({ key: '/knowledge', icon: <BookOutlined />, label: link('/knowledge', t('knowledge.menu')) });
  if (access.registry) {
    items.push({
      key: '/registry',
      icon: <ApartmentOutlined />,
      label: link('/registry/communities', t('shell.menu.registry')),
    });
  }
  if (access.residents) {
    items.push({
      key: '/residents',
      icon: <TeamOutlined />,
      label: link('/residents', t('shell.menu.residents')),
    });
  }
  if (access.staff) {
    items.push({
      key: '/admin/staff',
      icon: <UserOutlined />,
      label: link('/admin/staff', t('shell.menu.staff')),
    });
  }
  if (access.teams) {
    items.push({
      key: '/admin/teams',
      icon: <ClusterOutlined />,
      label: link('/admin/teams', t('shell.menu.teams')),
    });
  }
  if (access.categories) {
    items.push({
      key: '/admin/categories',
      icon: <TagsOutlined />,
      label: link('/admin/categories', t('shell.menu.categories')),
    });
  }
  if (access.slaSettings) {
    items.push({
      key: '/admin/sla',
      icon: <FieldTimeOutlined />,
      label: link('/admin/sla', t('slaSettings.menu')),
    });
  }
  if (access.company) {
    items.push({
      key: '/admin/company',
      icon: <BankOutlined />,
      label: link('/admin/company', t('shell.menu.company')),
    });
  }
  // §6: the service-language library and the overrides of the check
  if (canSeeLanguage(me.roles))
    items.push({
      key: '/admin/language',
      icon: <SafetyCertificateOutlined />,
      label: link('/admin/language', t('language.menu')),
    });
  items.push({
    key: '/me/password',
    icon: <KeyOutlined />,
    label: link('/me/password', t('shell.menu.password')),
  });
  const selected = items
    .map((item) => String(item?.key))
    .filter((key) => location.pathname.startsWith(key))
    .sort((a, b) => b.length - a.length)[0];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        theme="light"
        width={208}
        breakpoint="lg"
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}
      >
        <Flex align="center" gap={8} style={{ height: 64, padding: '0 20px', overflow: 'hidden' }}>
          <BankOutlined style={{ fontSize: 20, color: token.colorPrimary }} aria-hidden />
          {collapsed ? null : (
            <Typography.Text strong ellipsis style={{ fontSize: 15 }}>
              {companyName ?? t('common.appName')}
            </Typography.Text>
          )}
        </Flex>
        <nav aria-label={t('common.appName')}>
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={items}
            style={{ borderInlineEnd: 0 }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: '0 16px',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            lineHeight: 'normal',
          }}
        >
          <Flex justify="space-between" align="center" gap={12} style={{ height: '100%' }}>
            <CommunitySwitcher />
            <Flex gap={12} align="center">
              <AlertsBell />
              <LanguageSwitch />
              <UserBox />
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 16, minWidth: 0 }}>
          <div
            style={{ background: token.colorBgContainer, borderRadius: token.borderRadiusLG, padding: 20 }}
          >
            <Outlet />
          </div>
          <ScreenPop />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
