import type { Messages } from '../zh-CN';

export const residents: Messages['residents'] = {
  title: 'Residents',
  new: 'New resident',
  searchPlaceholder: 'Search name, phone, last 4 digits or room (e.g. 3-2-1502)',
  name: 'Name',
  phone: 'Mobile',
  room: 'Room',
  community: 'Community',
  salutation: {
    label: 'Salutation',
    mr: 'Mr.',
    ms: 'Ms.',
  },
  kind: {
    label: 'Relation',
    owner: 'Owner',
    tenant: 'Tenant',
    family: 'Family member',
  },
  notes: 'Notes',
  notesPlaceholder: 'e.g. elderly, lives alone — please be patient on calls',
  createdAt: 'Registered',
  empty: 'No residents yet. Click "New resident" to register an owner or tenant.',
  emptySearch: 'No resident matches. Try another search or click "New resident".',
  created: 'Resident {name} registered',
  phoneInvalid: 'Enter a valid mobile number',
};
