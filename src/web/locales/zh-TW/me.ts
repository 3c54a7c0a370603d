import type { Messages } from '../zh-CN';

export const me: Messages['me'] = {
  password: {
    title: '修改密碼',
    forced: '首次登入或密碼已被重設，請先設定新密碼再繼續使用。',
    current: '目前密碼',
    next: '新密碼',
    confirm: '確認新密碼',
    rule: '至少 8 個字元，建議包含英文字母與數字',
    tooShort: '新密碼至少 8 個字元',
    mismatch: '兩次輸入的新密碼不一致',
    sameAsCurrent: '新密碼不能與目前密碼相同',
    submit: '修改密碼',
    done: '密碼已修改',
  },
  localeSaveFailed: '語言偏好未能儲存到帳號，本機仍會記住。',
};
