import type { Messages } from '../zh-CN';

export const auth: Messages['auth'] = {
  title: '登入',
  subtitle: '物業客服中心',
  login: '帳號或工號',
  loginPlaceholder: '請輸入帳號或工號',
  password: '密碼',
  passwordPlaceholder: '請輸入密碼',
  submit: '登入',
  hotline: '服務專線 {hotline}',
  welcome: '歡迎回來，{name}',
};
