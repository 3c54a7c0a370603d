import type { Messages } from '../zh-CN';

export const shell: Messages['shell'] = {
  menu: {
    tickets: 'Tickets',
    registry: 'Communities',
    residents: 'Residents',
    teams: 'Teams',
    staff: 'Staff',
    categories: 'Categories',
    company: 'Company',
    password: 'Change password',
  },
  community: 'Community',
  allCommunities: 'All communities',
  noCommunity: 'No community available',
  employeeNo: 'Staff no. {no}',
  logout: 'Sign out',
  loggedOut: 'Signed out',
  userMenu: 'Account menu',
  collapse: 'Collapse menu',
  expand: 'Expand menu',
};
