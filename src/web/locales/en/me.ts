import type { Messages } from '../zh-CN';

export const me: Messages['me'] = {
  password: {
    title: 'Change password',
    forced: 'This is your first sign-in or your password was reset. Please set a new password to continue.',
    current: 'Current password',
    next: 'New password',
    confirm: 'Confirm new password',
    rule: 'At least 8 characters; letters and digits recommended',
    tooShort: 'The new password needs at least 8 characters',
    mismatch: 'The two new passwords do not match',
    sameAsCurrent: 'The new password must differ from the current one',
    submit: 'Change password',
    done: 'Password changed',
  },
  localeSaveFailed: 'Your language could not be saved to your account; this browser still remembers it.',
};
