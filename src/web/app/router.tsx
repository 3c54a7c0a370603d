import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { CategoriesPage } from '../pages/admin/categories/CategoriesPage';
import { CompanyPage } from '../pages/admin/company/CompanyPage';
import { canSeeLanguage } from '../pages/admin/language/access';
import { LanguagePage } from '../pages/admin/language/LanguagePage';
import { SlaSettingsPage } from '../pages/admin/sla/SlaSettingsPage';
import { StaffPage } from '../pages/admin/staff/StaffPage';
import { TeamsPage } from '../pages/admin/teams/TeamsPage';
import { LoginPage } from '../pages/auth/login/LoginPage';
import { CallbacksPage } from '../pages/callbacks/CallbacksPage';
import { CallsRoute } from '../pages/calls/CallsPage';
import { JobsPage } from '../pages/jobs/JobsPage';
import { KnowledgePage } from '../pages/knowledge/KnowledgePage';
import { ChangePasswordPage } from '../pages/me/password/ChangePasswordPage';
import { canSeeQuality, QualityPage } from '../pages/quality/QualityPage';
import { CommunitiesPage } from '../pages/registry/communities/CommunitiesPage';
import { CommunityPage } from '../pages/registry/community/CommunityPage';
import { canSeeReports } from '../pages/reports/access';
import { ImportPage } from '../pages/residents/import/ImportPage';
import { ResidentsPage } from '../pages/residents/list/ResidentsPage';
import { SlaBoardPage } from '../pages/sla/SlaBoardPage';
import { SurveyPage } from '../pages/surveys/SurveyPage';
import { SurveysPage } from '../pages/surveys/SurveysPage';
import { TicketListPage } from '../pages/tickets/list/TicketListPage';
import { RatingPage } from '../pages/visits/RatingPage';
import { ReturnVisitsPage } from '../pages/visits/ReturnVisitsPage';
import { homePath, JOBS_PATH } from './access';
import { NotFound, PASSWORD_PATH, RequireAccess, RequireAuth } from './guards';
import { AppLayout } from './layout/AppLayout';
import { useAccess, useCurrentUser } from './session';

// §5: the reports draw with ECharts — loaded with their page only, never by the login or the desk
const ReportsPage = lazy(() =>
  import('../pages/reports/ReportsPage').then((m) => ({ default: m.ReportsPage })),
);

function ReportsRoute() {
  const me = useCurrentUser();
  return (
    <RequireAccess allowed={canSeeReports(me.roles)}>
      <Suspense fallback={null}>
        <ReportsPage />
      </Suspense>
    </RequireAccess>
  );
}

/** §6: the service-language library and its overrides (READ_ROLES see it, leaders edit). */
function LanguageRoute() {
  const me = useCurrentUser();
  return (
    <RequireAccess allowed={canSeeLanguage(me.roles)}>
      <LanguagePage />
    </RequireAccess>
  );
}

function QualityRoute() {
  const me = useCurrentUser();
  return (
    <RequireAccess allowed={canSeeQuality(me.roles)}>
      <QualityPage />
    </RequireAccess>
  );
}

/** `/`: the desk for desk roles, the phone page for field staff. */
function Home() {
  const access = useAccess();
  return <Navigate to={homePath(access)} replace />;
}

function Guarded({
  area,
  children,
}: {
  area:
    | 'tickets'
    | 'jobs'
    | 'registry'
    | 'residents'
    | 'importResidents'
    | 'staff'
    | 'teams'
    | 'categories'
    | 'company'
    | 'slaBoard'
    | 'slaSettings';
  children: React.ReactNode;
}) {
  const access = useAccess();
  return <RequireAccess allowed={access[area]}>{children}</RequireAccess>;
}

export function createRouter() {
  return createBrowserRouter([
    { path: '/login', element: <LoginPage /> },
    // §5 R34: the resident's rating link — public, no login, phone-first
    { path: '/r/:token', element: <RatingPage /> },
    // §5 R36: the resident's survey link — public, no login, phone-first
    { path: '/s/:token', element: <SurveyPage /> },
    {
      element: <RequireAuth />,
      children: [
        {
          // The technician's phone: one column, no side menu.
          path: JOBS_PATH.slice(1),
          element: (
            <Guarded area="jobs">
              <JobsPage />
            </Guarded>
          ),
        },
        {
          element: <AppLayout />,
          children: [
            { index: true, element: <Home /> },
            { path: 'calls', element: <CallsRoute /> },
            {
              path: 'tickets',
              element: (
                <Guarded area="tickets">
                  <TicketListPage />
                </Guarded>
              ),
            },
            {
              path: 'tickets/:ticketId',
              element: (
                <Guarded area="tickets">
                  <TicketListPage />
                </Guarded>
              ),
            },
            {
              path: 'sla/board',
              element: (
                <Guarded area="slaBoard">
                  <SlaBoardPage />
                </Guarded>
              ),
            },
            // R30: every member of staff may have callbacks (the server scopes what each sees)
            { path: 'callbacks', element: <CallbacksPage /> },
            {
              path: 'return-visits',
              element: (
                <Guarded area="tickets">
                  <ReturnVisitsPage />
                </Guarded>
              ),
            },
            // §5 R36: satisfaction surveys (read by whoever reads requests)
            {
              path: 'surveys',
              element: (
                <Guarded area="tickets">
                  <SurveysPage />
                </Guarded>
              ),
            },
            { path: 'reports/satisfaction', element: <ReportsRoute /> },
            // §6 R39: quality spot checks; agents see their own results there
            { path: 'quality', element: <QualityRoute /> },
            // R32: the knowledge base and scripts: every member of staff reads (the server scopes), leaders keep
            { path: 'knowledge', element: <KnowledgePage /> },
            {
              path: 'sla/board/:ticketId',
              element: (
                <Guarded area="slaBoard">
                  <SlaBoardPage />
                </Guarded>
              ),
            },
            { path: 'registry', element: <Navigate to="/registry/communities" replace /> },
            {
              path: 'registry/communities',
              element: (
                <Guarded area="registry">
                  <CommunitiesPage />
                </Guarded>
              ),
            },
            {
              path: 'registry/communities/:communityId',
              element: (
                <Guarded area="registry">
                  <CommunityPage />
                </Guarded>
              ),
            },
            {
              path: 'residents',
              element: (
                <Guarded area="residents">
                  <ResidentsPage />
                </Guarded>
              ),
            },
            {
              path: 'residents/import',
              element: (
                <Guarded area="importResidents">
                  <ImportPage />
                </Guarded>
              ),
            },
            {
              path: 'admin/staff',
              element: (
                <Guarded area="staff">
                  <StaffPage />
                </Guarded>
              ),
            },
            {
              path: 'admin/teams',
              element: (
                <Guarded area="teams">
                  <TeamsPage />
                </Guarded>
              ),
            },
            {
              path: 'admin/categories',
              element: (
                <Guarded area="categories">
                  <CategoriesPage />
                </Guarded>
              ),
            },
            {
              path: 'admin/sla',
              element: (
                <Guarded area="slaSettings">
                  <SlaSettingsPage />
                </Guarded>
              ),
            },
            {
              path: 'admin/company',
              element: (
                <Guarded area="company">
                  <CompanyPage />
                </Guarded>
              ),
            },
            { path: 'admin/language', element: <LanguageRoute /> },
            { path: PASSWORD_PATH.slice(1), element: <ChangePasswordPage /> },
            { path: '*', element: <NotFound /> },
          ],
        },
      ],
    },
  ]);
}
