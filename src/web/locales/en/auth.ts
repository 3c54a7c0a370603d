import type { Messages } from '../zh-CN';

export const auth: Messages['auth'] = {
  title: 'Sign in',
  subtitle: 'Property service center',
  login: 'Username or staff no.',
  loginPlaceholder: 'Enter your username or staff number',
  password: 'Password',
  passwordPlaceholder: 'Enter your password',
  submit: 'Sign in',
  hotline: 'Hotline {hotline}',
  welcome: 'Welcome back, {name}',
};
