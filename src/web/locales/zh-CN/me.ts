export const me = {
  password: {
    title: '修改密码',
    forced: '首次登录或密码已被重置，请先设置新密码后再继续使用。',
    current: '当前密码',
    next: '新密码',
    confirm: '确认新密码',
    rule: '至少 8 位，建议包含字母和数字',
    tooShort: '新密码至少 8 位',
    mismatch: '两次输入的新密码不一致',
    sameAsCurrent: '新密码不能与当前密码相同',
    submit: '修改密码',
    done: '密码已修改',
  },
  localeSaveFailed: '语言偏好未能保存到账号，本机仍会记住。',
};
