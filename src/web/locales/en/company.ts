import type { Messages } from '../zh-CN';

export const company: Messages['company'] = {
  title: 'Company',
  name: 'Company name',
  shortName: 'Short name',
  shortNameHint: 'Used in SMS and page headers',
  hotline: 'Service hotline',
  timeZone: 'Time zone',
  logo: 'Logo',
  logoHint: 'PNG, JPG or SVG, at most 200 KB',
  upload: 'Upload image',
  remove: 'Remove',
  logoTooLarge: 'The image must be 200 KB or smaller; please compress it first',
  logoNotImage: 'Please choose an image file',
  updatedAt: 'Last changed: {time}',
};
