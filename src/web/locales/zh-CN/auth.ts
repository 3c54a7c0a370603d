export const auth = {
  title: '登录',
  subtitle: '物业客服中心',
  login: '用户名或工号',
  loginPlaceholder: '请输入用户名或工号',
  password: '密码',
  passwordPlaceholder: '请输入密码',
  submit: '登录',
  hotline: '服务热线 {hotline}',
  welcome: '欢迎回来，{name}',
};
