import type { Messages } from '../zh-CN';

export const jobs: Messages['jobs'] = {
  title: 'My jobs',
  mine: 'My jobs',
  pool: 'Job pool',
  emptyMine: 'No jobs assigned to you right now. Check the job pool for work to take.',
  emptyPool: 'The job pool is empty; new jobs for your team appear here.',
  alreadyTaken: 'Someone else already took this job',
  grabbed: 'Taken: it is now in My jobs',
  reportTitle: 'Completion report',
  submitReport: 'Submit and complete',
  logout: 'Sign out',
  refresh: 'Refresh',
};
