import { createBrowserRouter, Navigate } from 'react-router';
import { CompanyPage } from '../pages/admin/company/CompanyPage';
import { StaffPage } from '../pages/admin/staff/StaffPage';
import { TeamsPage } from '../pages/admin/teams/TeamsPage';
import { LoginPage } from '../pages/auth/login/LoginPage';
import { ChangePasswordPage } from '../pages/me/password/ChangePasswordPage';
import { CommunitiesPage } from '../pages/registry/communities/CommunitiesPage';
import { CommunityPage } from '../pages/registry/community/CommunityPage';
import { ImportPage } from '../pages/residents/import/ImportPage';
import { ResidentsPage } from '../pages/residents/list/ResidentsPage';
import { TicketListPage } from '../pages/tickets/list/TicketListPage';
import { NotFound, PASSWORD_PATH, RequireAccess, RequireAuth } from './guards';
import { AppLayout } from './layout/AppLayout';
import { useAccess } from './session';

function Guarded({
  area,
  children,
}: {
  area: 'tickets' | 'registry' | 'residents' | 'importResidents' | 'staff' | 'teams' | 'company';
  children: React.ReactNode;
}) {
  const access = useAccess();
  return <RequireAccess allowed={access[area]}>{children}</RequireAccess>;
}

export function createRouter() {
  return createBrowserRouter([
    { path: '/login', element: <LoginPage /> },
    {
      element: <RequireAuth />,
      children: [
        {
          element: <AppLayout />,
          children: [
            { index: true, element: <Navigate to="/tickets" replace /> },
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
              path: 'admin/company',
              element: (
                <Guarded area="company">
                  <CompanyPage />
                </Guarded>
              ),
            },
            { path: PASSWORD_PATH.slice(1), element: <ChangePasswordPage /> },
            { path: '*', element: <NotFound /> },
          ],
        },
      ],
    },
  ]);
}
