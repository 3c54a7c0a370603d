import { Button, Flex, Result, Spin } from 'antd';
import {
  type ComponentType,
  type LazyExoticComponent,
  lazy,
  type ReactNode,
  Suspense,
  useEffect,
} from 'react';
import { createBrowserRouter, Navigate, type RouteObject, useRouteError } from 'react-router';
import type { Role } from '../api/types';
import { canSeeLanguage } from '../pages/admin/language/access';
import { LoginPage } from '../pages/auth/login/LoginPage';
import { canSeeQuality } from '../pages/quality/access';
import { canSeeReports } from '../pages/reports/access';
import { preloadTicketDrawers } from '../pages/tickets/lazyDrawers';
import { type Access, homePath, JOBS_PATH } from './access';
import { NotFound, PASSWORD_PATH, RequireAccess, RequireAuth } from './guards';
import { useT } from './i18n';
import { useAccess, useCurrentUser } from './session';

/*
 * Issue 9 (console first load ≤ 350 KB gzip of JS): index.html loads the login page only. The
 * console's shell and the desk's landing page come in one chunk (fetched while the login page is
 * idle), every other page in its own chunk, on first visit — or before, when the browser is idle,
 * for the pages the signed-in user may open, so that moving between pages stays instant.
 */

/** A page in a chunk of its own; `preload` fetches the chunk without showing the page. */
type LazyPage = LazyExoticComponent<ComponentType> & { preload: () => Promise<unknown> };

function lazyPage<Name extends string>(
  load: () => Promise<Record<Name, ComponentType>>,
  name: Name,
): LazyPage {
  return Object.assign(
    lazy(() => load().then((module): { default: ComponentType } => ({ default: module[name] }))),
    { preload: load },
  );
}

/** While a chunk loads: nothing for 300 ms (a prefetched page is there long before), then a spinner. */
function PageFallback() {
  return (
    <Flex justify="center" align="center" style={{ minHeight: '60vh' }}>
      <Spin size="large" delay={300} />
    </Flex>
  );
}

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageFallback />}>{children}</Suspense>;
}

/**
 * A page that could not be shown: mostly a chunk that could not be fetched (offline, or a new
 * version deployed since the page was opened), which loading the page again fixes.
 */
function RouteError() {
  const t = useT();
  const error = useRouteError();
  console.error(error);
  const fetchFailed = error instanceof TypeError && /dynamically imported module|fetch/i.test(error.message);
  return (
    <Result
      status="warning"
      title={t(fetchFailed ? 'errors.network' : 'errors.unknown')}
      extra={<Button onClick={() => window.location.reload()}>{t('common.refresh')}</Button>}
    />
  );
}

/**
 * Runs the task once the page has loaded (its own scripts first) and the browser has nothing else
 * to do; the returned function cancels it.
 */
function whenIdle(task: () => void): () => void {
  let cancel = () => {};
  const schedule = () => {
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(task, { timeout: 5_000 });
      cancel = () => window.cancelIdleCallback(handle);
    } else {
      const handle = window.setTimeout(task, 1_000);
      cancel = () => window.clearTimeout(handle);
    }
  };
  if (document.readyState === 'complete') schedule();
  else {
    window.addEventListener('load', schedule, { once: true });
    cancel = () => window.removeEventListener('load', schedule);
  }
  return () => cancel();
}

// The shell (menu, header, screen pop) and the landing page of desk roles (homePath) share a chunk.
const loadConsole = () => import('./console');
const AppLayout = lazyPage(loadConsole, 'AppLayout');
const TicketListPage = lazyPage(loadConsole, 'TicketListPage');

const CallbacksPage = lazyPage(() => import('../pages/callbacks/CallbacksPage'), 'CallbacksPage');
const CallsRoute = lazyPage(() => import('../pages/calls/CallsPage'), 'CallsRoute');
const CategoriesPage = lazyPage(() => import('../pages/admin/categories/CategoriesPage'), 'CategoriesPage');
const ChangePasswordPage = lazyPage(
  () => import('../pages/me/password/ChangePasswordPage'),
  'ChangePasswordPage',
);
const CommunitiesPage = lazyPage(
  () => import('../pages/registry/communities/CommunitiesPage'),
  'CommunitiesPage',
);
const CommunityPage = lazyPage(() => import('../pages/registry/community/CommunityPage'), 'CommunityPage');
const CompanyPage = lazyPage(() => import('../pages/admin/company/CompanyPage'), 'CompanyPage');
const ImportPage = lazyPage(() => import('../pages/residents/import/ImportPage'), 'ImportPage');
const JobsPage = lazyPage(() => import('../pages/jobs/JobsPage'), 'JobsPage');
const KnowledgePage = lazyPage(() => import('../pages/knowledge/KnowledgePage'), 'KnowledgePage');
const LanguagePage = lazyPage(() => import('../pages/admin/language/LanguagePage'), 'LanguagePage');
const QualityPage = lazyPage(() => import('../pages/quality/QualityPage'), 'QualityPage');
const RatingPage = lazyPage(() => import('../pages/visits/RatingPage'), 'RatingPage');
// §5: the reports draw with ECharts — loaded with their page only, never by the login or the desk
const ReportsPage = lazyPage(() => import('../pages/reports/ReportsPage'), 'ReportsPage');
const ResidentsPage = lazyPage(() => import('../pages/residents/list/ResidentsPage'), 'ResidentsPage');
const ReturnVisitsPage = lazyPage(() => import('../pages/visits/ReturnVisitsPage'), 'ReturnVisitsPage');
const SlaBoardPage = lazyPage(() => import('../pages/sla/SlaBoardPage'), 'SlaBoardPage');
const SlaSettingsPage = lazyPage(() => import('../pages/admin/sla/SlaSettingsPage'), 'SlaSettingsPage');
const StaffPage = lazyPage(() => import('../pages/admin/staff/StaffPage'), 'StaffPage');
const SurveyPage = lazyPage(() => import('../pages/surveys/SurveyPage'), 'SurveyPage');
const SurveysPage = lazyPage(() => import('../pages/surveys/SurveysPage'), 'SurveysPage');
const TeamsPage = lazyPage(() => import('../pages/admin/teams/TeamsPage'), 'TeamsPage');

/** Who may open a page of the console (no rule: every member of staff; the server scopes what each sees). */
type Allowed = (access: Access, roles: readonly Role[]) => boolean;

interface ConsolePage {
  path: string;
  page: LazyPage;
  allowed?: Allowed;
}

const CONSOLE_PAGES: ConsolePage[] = [
  { path: 'tickets', page: TicketListPage, allowed: (access) => access.tickets },
  { path: 'tickets/:ticketId', page: TicketListPage, allowed: (access) => access.tickets },
  // the calls page checks it again itself
  { path: 'calls', page: CallsRoute, allowed: (access) => access.createTickets },
  { path: 'sla/board', page: SlaBoardPage, allowed: (access) => access.slaBoard },
  { path: 'sla/board/:ticketId', page: SlaBoardPage, allowed: (access) => access.slaBoard },
  // R30: every member of staff may have callbacks (the server scopes what each sees)
  { path: 'callbacks', page: CallbacksPage },
  { path: 'return-visits', page: ReturnVisitsPage, allowed: (access) => access.tickets },
  // §5 R36: satisfaction surveys (read by whoever reads requests)
  { path: 'surveys', page: SurveysPage, allowed: (access) => access.tickets },
  { path: 'reports/satisfaction', page: ReportsPage, allowed: (_, roles) => canSeeReports(roles) },
  // §6 R39: quality spot checks; agents see their own results there
  { path: 'quality', page: QualityPage, allowed: (_, roles) => canSeeQuality(roles) },
  // R32: the knowledge base and scripts: every member of staff reads (the server scopes), leaders keep
  { path: 'knowledge', page: KnowledgePage },
  { path: 'registry/communities', page: CommunitiesPage, allowed: (access) => access.registry },
  { path: 'registry/communities/:communityId', page: CommunityPage, allowed: (access) => access.registry },
  { path: 'residents', page: ResidentsPage, allowed: (access) => access.residents },
  { path: 'residents/import', page: ImportPage, allowed: (access) => access.importResidents },
  { path: 'admin/staff', page: StaffPage, allowed: (access) => access.staff },
  { path: 'admin/teams', page: TeamsPage, allowed: (access) => access.teams },
  { path: 'admin/categories', page: CategoriesPage, allowed: (access) => access.categories },
  { path: 'admin/sla', page: SlaSettingsPage, allowed: (access) => access.slaSettings },
  { path: 'admin/company', page: CompanyPage, allowed: (access) => access.company },
  // §6: the service-language library and its overrides (READ_ROLES see it, leaders edit)
  { path: 'admin/language', page: LanguagePage, allowed: (_, roles) => canSeeLanguage(roles) },
  { path: PASSWORD_PATH.slice(1), page: ChangePasswordPage },
];

function Guarded({ allowed, children }: { allowed: Allowed | undefined; children: ReactNode }) {
  const access = useAccess();
  const me = useCurrentUser();
  if (!allowed) return children;
  return <RequireAccess allowed={allowed(access, me.roles)}>{children}</RequireAccess>;
}

/** The login page; while the user types, the console's chunk comes in. */
function LoginRoute() {
  useEffect(() => whenIdle(() => void loadConsole()), []);
  return <LoginPage />;
}

/**
 * The console's frame. Once it is up, in idle time: the intake form and a ticket's drawer, then
 * the pages this user may open, one chunk per idle moment, so that a call or an alert arriving
 * meanwhile is not kept waiting (a failed fetch is tried again on first use).
 */
function Console() {
  const access = useAccess();
  const me = useCurrentUser();
  useEffect(() => {
    const chunks: (() => Promise<unknown>)[] = access.tickets ? [preloadTicketDrawers] : [];
    for (const page of CONSOLE_PAGES)
      if ((page.allowed?.(access, me.roles) ?? true) && !chunks.includes(page.page.preload))
        chunks.push(page.page.preload);
    let cancel = () => {};
    const next = () => {
      const preload = chunks.shift();
      if (preload)
        cancel = whenIdle(() => {
          preload()
            .catch(() => undefined)
            .finally(next);
        });
    };
    next();
    return () => {
      chunks.length = 0;
      cancel();
    };
  }, [access, me.roles]);
  return (
    <Lazy>
      <AppLayout />
    </Lazy>
  );
}

/** `/`: the desk for desk roles, the phone page for field staff. */
function Home() {
  const access = useAccess();
  return <Navigate to={homePath(access)} replace />;
}

export function createRouter() {
  const consolePages: RouteObject[] = CONSOLE_PAGES.map(({ path, page: Page, allowed }) => ({
    path,
    errorElement: <RouteError />,
    element: (
      <Guarded allowed={allowed}>
        <Lazy>
          <Page />
        </Lazy>
      </Guarded>
    ),
  }));
  return createBrowserRouter([
    { path: '/login', element: <LoginRoute />, errorElement: <RouteError /> },
    // §5 R34: the resident's rating link — public, no login, phone-first
    {
      path: '/r/:token',
      errorElement: <RouteError />,
      element: (
        <Lazy>
          <RatingPage />
        </Lazy>
      ),
    },
    // §5 R36: the resident's survey link — public, no login, phone-first
    {
      path: '/s/:token',
      errorElement: <RouteError />,
      element: (
        <Lazy>
          <SurveyPage />
        </Lazy>
      ),
    },
    {
      element: <RequireAuth />,
      errorElement: <RouteError />,
      children: [
        {
          // The technician's phone: one column, no side menu.
          path: JOBS_PATH.slice(1),
          element: (
            <Guarded allowed={(access) => access.jobs}>
              <Lazy>
                <JobsPage />
              </Lazy>
            </Guarded>
          ),
        },
        {
          element: <Console />,
          children: [
            { index: true, element: <Home /> },
            ...consolePages,
            { path: 'registry', element: <Navigate to="/registry/communities" replace /> },
            { path: '*', element: <NotFound /> },
          ],
        },
      ],
    },
  ]);
}
